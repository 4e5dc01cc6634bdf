import type { SendMessageInput } from '../../core/messaging/messages.send.js';
import { invalid, missing } from '../../core/shared/errors.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { arrayField, bodyOf, booleanParameter, isRecord, recordField, textField, type Body } from './body-fields.js';

/** A hash of strings (`shortlinks`, `headers`): every value must be text. */
function stringHash(body: Body, key: string, parameter: string): Record<string, string> | undefined {
  const hash = recordField(body, key);
  if (hash === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(hash)) {
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`${parameter}[${name}]`, 'Expected a string.');
    out[name] = String(value);
  }
  return out;
}

/** `template` is an id, or a hash `{id, shortlinks}` (`template[id]=…&template[shortlinks][name]=…` in a form). */
function templateField(body: Body, ids: PublicIds): SendMessageInput['template'] {
  const value = body.template;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return { id: ids.decode('template', value) };
  if (!isRecord(value)) throw invalid('template', 'Expected a template id or a hash with its id and shortlinks.');
  const id = textField(value, 'id');
  if (id === undefined || id === null || id === '') throw missing('template[id]');
  return { id: ids.decode('template', id), shortlinks: stringHash(value, 'shortlinks', 'template[shortlinks]') };
}

function attachmentsField(body: Body): string[] | undefined {
  const items = arrayField(body, 'attachments');
  if (items === undefined) return undefined;
  return items
    .filter((item) => item !== '' && item !== null)
    .map((item) => {
      if (typeof item !== 'string') throw invalid('attachments', 'Expected a list of URLs.');
      return item;
    });
}

export function sendInputFrom(raw: unknown, ids: PublicIds): SendMessageInput {
  const body = bodyOf(raw);
  const text = (key: string) => textField(body, key) ?? undefined;
  const profile = text('profile');
  if (profile === undefined || profile === '') throw missing('profile');
  return {
    profileId: ids.decode('profile', profile),
    body: textField(body, 'body'),
    template: templateField(body, ids),
    origin: text('origin') || undefined,
    destination: text('destination') || undefined,
    technology: text('technology') || undefined,
    attachments: attachmentsField(body),
    transactional: booleanParameter(body.transactional, 'transactional'),
    subject: text('subject'),
    html: text('html'),
    headers: stringHash(body, 'headers', 'headers'),
  };
}
