import type { ButtonInput, HeaderInput, TemplateInput } from '../../core/messaging/templates.service.js';
import { invalid } from '../../core/shared/errors.js';
import { arrayField, bodyOf, isRecord, textField, type Body } from './body-fields.js';

/**
 * Maps template parameters onto the core's input. Nested parameters are named as a form
 * writes them (`buttons[0][text]`, `header[type]`); forms index arrays of hashes
 * (`buttons[0][type]=url`), and `buttons[]=` is the empty array that removes every button.
 */

/** A text parameter of a nested hash, named `prefix[key]` in refusals. */
const nestedText = (hash: Body, key: string, prefix: string): string | null | undefined => textField({ [`${prefix}[${key}]`]: hash[key] }, `${prefix}[${key}]`);

/** `null`, an empty form value and `{}` remove the header, as the reference allows. */
function headerField(body: Body): HeaderInput | null | undefined {
  const value = body.header;
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (!isRecord(value)) throw invalid('header', 'Expected a hash: {type, text | attachment_url | address}.');
  if (Object.keys(value).length === 0) return null;
  return {
    type: nestedText(value, 'type', 'header'),
    text: nestedText(value, 'text', 'header'),
    attachmentUrl: nestedText(value, 'attachment_url', 'header'),
    address: value.address,
  };
}

function positionField(hash: Body, where: string): string | number | null | undefined {
  const value = hash.position;
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw invalid(`${where}[position]`, 'Expected a number.');
}

function buttonsField(body: Body): ButtonInput[] | undefined {
  // A form's empty array (`buttons[]=`) arrives as one empty string.
  const entries = arrayField(body, 'buttons')?.filter((entry) => !(typeof entry === 'string' && entry.trim() === ''));
  return entries?.map((entry, index) => {
    const where = `buttons[${index}]`;
    if (!isRecord(entry)) throw invalid(where, 'Expected a hash: {type, text, …}.');
    return {
      type: nestedText(entry, 'type', where),
      text: nestedText(entry, 'text', where),
      url: nestedText(entry, 'url', where),
      phone: nestedText(entry, 'phone', where),
      copy: nestedText(entry, 'copy', where),
      position: positionField(entry, where),
    };
  });
}

export function templateInputFrom(body: unknown): TemplateInput {
  const fields = bodyOf(body);
  return {
    name: textField(fields, 'name'),
    technology: textField(fields, 'technology'),
    body: textField(fields, 'body'),
    footer: textField(fields, 'footer'),
    header: headerField(fields),
    buttons: buttonsField(fields),
  };
}
