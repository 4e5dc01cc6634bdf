/**
 * The addresses of each technology, as origins (a channel's own) and destinations (a
 * profile's): one stored form each, so inbound messages, receipts and consent compare equal.
 */
import { parseEmail, parsePhone } from '../audience/property-values.contact.js';
import { parseMercadoLibreUser } from '../audience/property-values.scalars.js';
import { DomainError, invalid } from '../shared/errors.js';
import type { Technology } from './channels.model.js';

/** Alphanumeric SMS sender ids: up to 11 characters with at least one letter (GSM 03.40). */
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}$/;
/** Short codes: 3 to 8 digits. */
const SHORT_CODE = /^\d{3,8}$/;
/** A Twilio Messaging Service, which picks the sender itself. */
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/i;
/** Instagram user names: letters, digits, dots and underscores, at most 30. */
const INSTAGRAM_USER = /^[a-z0-9._]{1,30}$/;
/** `Acme <news@acme.test>`: a display name is part of an email origin. */
const NAMED_ADDRESS = /^\s*([^<>]*?)\s*<([^<>]+)>\s*$/;
const MAX_ORIGIN = 320;

function instagramUser(raw: string, parameter: string): string {
  const user = raw.trim().replace(/^@/, '').toLowerCase();
  if (!INSTAGRAM_USER.test(user)) throw invalid(parameter, `"${raw}" is not an Instagram user name.`);
  return user;
}

/** A channel's origin in its stored form; refuses what the technology cannot send from. */
export function checkedOrigin(technology: Technology, raw: string | undefined, country: string): string {
  if (raw === undefined) throw new DomainError('missing', 'This parameter is required.', 'origin');
  const text = raw.trim();
  if (text === '') throw new DomainError('empty', 'A channel needs an origin.', 'origin');
  if (text.length > MAX_ORIGIN) throw invalid('origin', `An origin has at most ${MAX_ORIGIN} characters.`);
  switch (technology) {
    case 'sms':
      if (SENDER_ID.test(text) || SHORT_CODE.test(text) || MESSAGING_SERVICE.test(text)) return text;
      return parsePhone(text, 'origin', country);
    case 'whatsapp':
      return parsePhone(text, 'origin', country);
    case 'email': {
      const named = NAMED_ADDRESS.exec(text);
      if (!named) return parseEmail(text, 'origin');
      const name = named[1] ?? '';
      if (/["\\\r\n]/.test(name)) throw invalid('origin', 'A display name cannot contain quotes, backslashes or line breaks.');
      const address = parseEmail(named[2], 'origin');
      return name === '' ? address : `${name} <${address}>`;
    }
    case 'instagram':
      return instagramUser(text, 'origin');
    case 'mercadolibre':
      return parseMercadoLibreUser(text, 'origin');
  }
}

/** A destination in its stored form (E.164, lower-cased email, Instagram or MercadoLibre user). */
export function checkedDestination(technology: Technology, raw: string, country: string, parameter = 'destination'): string {
  switch (technology) {
    case 'sms':
    case 'whatsapp':
      return parsePhone(raw, parameter, country);
    case 'email':
      return parseEmail(raw, parameter);
    case 'instagram':
      return instagramUser(raw, parameter);
    case 'mercadolibre':
      return parseMercadoLibreUser(raw, parameter);
  }
}

/** The bare address of an email origin (`Acme <a@b.c>` → `a@b.c`); other origins as they are. */
export function bareAddress(origin: string): string {
  return NAMED_ADDRESS.exec(origin)?.[2]?.trim().toLowerCase() ?? origin;
}

/** How two phone-ish addresses compare: the digits, since peers drop the `+` (WhatsApp, SMPP). */
export const digitsOf = (address: string): string => address.replace(/\D/g, '');
