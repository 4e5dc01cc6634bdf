import { invalid } from '../../core/shared/errors.js';
import type { IdentificationInput } from '../../core/tracking/identifications.service.js';
import { recordField, textField, type Body } from '../hellotext/body-fields.js';

/** Bounds of the UTM hash a browser reports: a page's query string, not a document. */
const MAX_UTM_KEYS = 20;
const MAX_UTM_LENGTH = 500;

/** `utm_params` as the string map the core stores; numbers (from JSON) read as strings. */
export function utmParams(body: Body, key = 'utm_params'): Record<string, string> | undefined {
  const given = recordField(body, key);
  if (given === undefined) return undefined;
  const entries = Object.entries(given).filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (entries.length > MAX_UTM_KEYS) throw invalid(key, `At most ${MAX_UTM_KEYS} UTM parameters.`);
  return Object.fromEntries(
    entries.map(([name, value]) => {
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value).length > MAX_UTM_LENGTH || name.length > 100) {
        throw invalid(`${key}[${name}]`, `Expected a text of at most ${MAX_UTM_LENGTH} characters.`);
      }
      return [name, String(value)];
    }),
  );
}

/** The session of a public body: a token (ids are not accepted from browsers). */
export function sessionToken(body: Body): string | undefined {
  const session = textField(body, 'session');
  return session === null || session === '' ? undefined : session;
}

const optionalText = (body: Body, key: string): string | undefined => {
  const value = textField(body, key)?.trim();
  return value === '' ? undefined : value;
};

/** `{session, user_id, email, phone, name, first_name, last_name, source}`; other keys are ignored. */
export function identificationInput(body: Body): IdentificationInput {
  return {
    session: sessionToken(body),
    userId: optionalText(body, 'user_id'),
    email: optionalText(body, 'email'),
    phone: optionalText(body, 'phone'),
    name: optionalText(body, 'name'),
    firstName: optionalText(body, 'first_name'),
    lastName: optionalText(body, 'last_name'),
    source: optionalText(body, 'source'),
  };
}
