/**
 * The reference's rules of template components, by target platform. Pure: the service adds
 * what needs the database (names, WhatsApp integration, tags, the business's country).
 * Lengths count characters as people do (code points), not UTF-16 units.
 */
import { parseAddressValue } from '../audience/property-values.address.js';
import { parseUrl } from '../audience/property-values.contact.js';
import { DomainError, invalid, missing } from '../shared/errors.js';
import { BUTTON_TYPES, HEADER_TYPES, TEMPLATE_TECHNOLOGIES, type ButtonType, type TemplateButton, type TemplateHeader, type TemplateTechnology } from './templates.model.js';

/** Parameters as given: `undefined` is "not given", `null` an explicit null. */
export interface HeaderInput {
  readonly type?: string | null | undefined;
  readonly text?: string | null | undefined;
  readonly attachmentUrl?: string | null | undefined;
  /** An address hash (or free text), read like a profile's address. */
  readonly address?: unknown;
}

export interface ButtonInput {
  readonly type?: string | null | undefined;
  readonly text?: string | null | undefined;
  readonly url?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly copy?: string | null | undefined;
  readonly position?: string | number | null | undefined;
}

export const LIMITS = {
  name: 200,
  body: { sms: 160, whatsapp: 1024, any: 1024 } satisfies Record<TemplateTechnology, number>,
  headerText: 60,
  footer: 160,
  buttons: 10,
  buttonText: 25,
  copy: 15,
  phone: 20,
  url: 2048,
  /** At most this many buttons of a type; the others are bound by the total only. */
  perType: { phone: 1, copy: 1, quick_reply: 10 } satisfies Partial<Record<ButtonType, number>>,
} as const;

/** Characters as a reader counts them: an emoji is one. */
export const characters = (text: string): number => [...text].length;

function tooLong(parameter: string, limit: number, what: string): DomainError {
  return invalid(parameter, `${what} has at most ${limit} characters.`);
}

/**
 * A required text: absent or null is `missing` (on create; on update absent keeps it), blank
 * is `empty`, longer than `limit` is `invalid`. `trim` keeps the text as written otherwise.
 */
function requiredText(value: string | null | undefined, parameter: string, options: { required: boolean; limit?: number; what: string; trim: boolean }): string | undefined {
  if (value === undefined && !options.required) return undefined;
  if (value === undefined || value === null) throw missing(parameter);
  if (value.trim() === '') throw new DomainError('empty', 'This parameter cannot be empty.', parameter);
  const text = options.trim ? value.trim() : value;
  if (options.limit !== undefined && characters(text) > options.limit) throw tooLong(parameter, options.limit, options.what);
  return text;
}

export function checkedName(value: string | null | undefined, creating: boolean): string | undefined {
  return requiredText(value, 'name', { required: creating, limit: LIMITS.name, what: 'A template name', trim: true });
}

/** The body as written (line breaks and spacing are part of a message); its length depends on the technology. */
export function checkedBody(value: string | null | undefined, creating: boolean): string | undefined {
  return requiredText(value, 'body', { required: creating, what: 'The body', trim: false });
}

export function checkedTechnology(value: string | null | undefined): TemplateTechnology | undefined {
  if (value === undefined) return undefined;
  // An empty form value or null is the default, as for a parameter not given.
  if (value === null || value.trim() === '') return 'any';
  const technology = TEMPLATE_TECHNOLOGIES.find((known) => known === value.trim().toLowerCase());
  if (!technology) throw invalid('technology', `Unknown technology "${value}": use ${TEMPLATE_TECHNOLOGIES.join(', ')}.`);
  return technology;
}

/** Optional; null or blank removes it. */
export function checkedFooter(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  if (characters(value) > LIMITS.footer) throw tooLong('footer', LIMITS.footer, 'The footer');
  return value;
}

/** The header as stored, without its media (the service records that); null removes it. */
export function checkedHeader(input: HeaderInput | null | undefined, country: string): TemplateHeader | null | undefined {
  if (input === undefined) return undefined;
  if (input === null) return null;
  const type = requiredText(input.type, 'header[type]', { required: true, what: 'The header type', trim: true });
  switch (HEADER_TYPES.find((known) => known === type?.toLowerCase())) {
    case 'text':
      return { type: 'text', text: requiredText(input.text, 'header[text]', { required: true, limit: LIMITS.headerText, what: 'A text header', trim: true }) ?? '' };
    case 'attachment': {
      const url = parseUrl(requiredText(input.attachmentUrl, 'header[attachment_url]', { required: true, what: 'The URL', trim: true }), 'header[attachment_url]');
      if (url.length > LIMITS.url) throw tooLong('header[attachment_url]', LIMITS.url, 'A URL');
      return { type: 'attachment', attachmentUrl: url, mediaId: null };
    }
    case 'address':
      if (input.address === undefined || input.address === null) throw missing('header[address]');
      return { type: 'address', address: parseAddressValue(input.address, country, 'header[address]') };
    case undefined:
      throw invalid('header[type]', `Unknown header type "${type}": use ${HEADER_TYPES.join(', ')}.`);
  }
}

function checkedPosition(value: string | number | null | undefined, parameter: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const position = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  // The reference says 1 to 10 in one place and 0 to 9 in another: both read as an order.
  if (!Number.isInteger(position) || position < 0 || position > LIMITS.buttons) throw invalid(parameter, `The position is a whole number from 1 to ${LIMITS.buttons} (0 also reads as first).`);
  return position;
}

function checkedButton(input: ButtonInput, at: string): TemplateButton {
  const type = requiredText(input.type, `${at}[type]`, { required: true, what: 'The button type', trim: true })?.toLowerCase();
  const text = requiredText(input.text, `${at}[text]`, { required: true, limit: LIMITS.buttonText, what: 'A button text', trim: true }) ?? '';
  switch (BUTTON_TYPES.find((known) => known === type)) {
    case 'url': {
      const url = parseUrl(requiredText(input.url, `${at}[url]`, { required: true, what: 'The URL', trim: true }), `${at}[url]`);
      if (url.length > LIMITS.url) throw tooLong(`${at}[url]`, LIMITS.url, 'A URL');
      return { type: 'url', text, url };
    }
    case 'phone': {
      const phone = requiredText(input.phone, `${at}[phone]`, { required: true, limit: LIMITS.phone, what: 'The phone number', trim: true }) ?? '';
      if (!/^\+?[\d\s().-]*\d[\d\s().-]*$/.test(phone)) throw invalid(`${at}[phone]`, `"${phone}" is not a phone number.`);
      return { type: 'phone', text, phone };
    }
    case 'copy':
      return { type: 'copy', text, copy: requiredText(input.copy, `${at}[copy]`, { required: true, limit: LIMITS.copy, what: 'The text to copy', trim: true }) ?? '' };
    case 'quick_reply':
      return { type: 'quick_reply', text };
    case undefined:
      throw invalid(`${at}[type]`, `Unknown button type "${type}": use ${BUTTON_TYPES.join(', ')}.`);
  }
}

/**
 * The buttons in display order. A button with a `position` goes there; the others take the
 * place of their index (counting from 1); on a tie the one with an explicit position goes first.
 */
export function checkedButtons(inputs: readonly ButtonInput[] | undefined): TemplateButton[] | undefined {
  if (inputs === undefined) return undefined;
  if (inputs.length > LIMITS.buttons) throw invalid('buttons', `A template has at most ${LIMITS.buttons} buttons.`);
  const placed = inputs.map((input, index) => {
    const position = checkedPosition(input.position, `buttons[${index}][position]`);
    return { button: checkedButton(input, `buttons[${index}]`), key: position ?? index + 1, explicit: position !== undefined ? 0 : 1, index };
  });
  placed.sort((a, b) => a.key - b.key || a.explicit - b.explicit || a.index - b.index);
  const buttons = placed.map((entry) => entry.button);
  for (const [type, limit] of Object.entries(LIMITS.perType)) {
    if (buttons.filter((button) => button.type === type).length > limit) {
      throw invalid('buttons', `A template has at most ${limit} ${type.replace('_', ' ')} button${limit === 1 ? '' : 's'}.`);
    }
  }
  return buttons;
}

const TECHNOLOGY_LABELS: Record<TemplateTechnology, string> = { sms: 'an SMS', whatsapp: 'a WhatsApp', any: 'an any-platform' };

export interface Components {
  readonly body: string;
  readonly header: TemplateHeader | null;
  readonly footer: string | null;
  readonly buttons: readonly TemplateButton[];
}

/** The rules that depend on the target platform, on the template as it will be stored. */
export function checkComponents(technology: TemplateTechnology, components: Components): void {
  const limit = LIMITS.body[technology];
  if (characters(components.body) > limit) throw invalid('body', `The body of ${TECHNOLOGY_LABELS[technology]} template has at most ${limit} characters.`);
  if (technology !== 'sms') return;
  const unsupported = components.header !== null ? 'header' : components.footer !== null ? 'footer' : components.buttons.length > 0 ? 'buttons' : undefined;
  if (unsupported) throw invalid(unsupported, `SMS templates have no ${unsupported === 'buttons' ? 'buttons' : unsupported}: remove it or target another technology.`);
}
