/** Parsers of the kinds a message can be sent to or through: email, phone and url. */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { invalid } from '../shared/errors.js';
import { scalarText } from './property-values.input.js';

const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
/** RFC 5322 dot-atom (unquoted) local part: no leading, trailing or doubled dot. */
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** Host name labels, internationalised ones allowed; no IP literals, which no customer uses. */
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * A reasonable subset of RFC 5322: one @, no spaces or quotes, a dotted domain whose last label
 * is not numeric. Stored lower-cased: providers treat the local part case-insensitively in
 * practice, and uniqueness must not depend on how a customer typed it.
 */
export function parseEmail(raw: unknown, parameter: string): string {
  const email = scalarText(raw)?.toLowerCase();
  if (email === undefined) throw invalid(parameter, 'Expected an email address.');
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const valid =
    email.length <= MAX_EMAIL_LENGTH &&
    at > 0 &&
    local.length <= MAX_LOCAL_PART_LENGTH &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^\d+$/.test(labels.at(-1) ?? '');
  if (!valid) throw invalid(parameter, `"${email}" is not a valid email address (expected name@example.com).`);
  return email;
}

/**
 * E.164 from an international number ("+598 98 000 001", "00598…") or a local one read in the
 * business's country ("098 000 001" in Uruguay). Uses the full metadata ("max") because the
 * default one only checks lengths, and a number we cannot deliver to is worse than a refusal.
 */
export function parsePhone(raw: unknown, parameter: string, country: string): string {
  const text = scalarText(raw);
  if (text === undefined || text === '') throw invalid(parameter, 'Expected a phone number.');
  const home = country.toUpperCase();
  const phone = parsePhoneNumberFromString(text, isSupportedCountry(home) ? home : undefined);
  if (phone === undefined || !phone.isValid()) {
    throw invalid(parameter, `"${text}" is not a valid phone number: use the international format (+598 98 000 001) or a local number of ${home}.`);
  }
  // E.164 has no room for an extension; dropping it would store a different number.
  if (phone.ext !== undefined) throw invalid(parameter, 'Phone extensions are not supported.');
  return phone.number;
}

/** ISO 3166-1 alpha-2 of a valid E.164 number; undefined for non-geographic or invalid numbers. */
export function phoneCountry(e164: string): string | undefined {
  const phone = parsePhoneNumberFromString(e164);
  return phone?.isValid() ? phone.country : undefined;
}

/** An absolute http(s) URL per the WHATWG parser, kept as written (trimmed). */
export function parseUrl(raw: unknown, parameter: string): string {
  const text = scalarText(raw);
  if (text === undefined || text === '') throw invalid(parameter, 'Expected a URL.');
  if (/\s/.test(text)) throw invalid(parameter, 'A URL cannot contain spaces.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(parameter, `"${text}" is not a valid URL: write it whole, such as https://www.hellotext.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(parameter, 'Only http and https URLs are accepted.');
  return text;
}
