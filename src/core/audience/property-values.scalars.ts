/** Parsers of the single-valued kinds: checkbox, number, tags and the free-text kinds. */
import { invalid } from '../shared/errors.js';
import { numberOf, scalarText } from './property-values.input.js';

/** Long enough for notes about a customer, short enough to keep rows and indexes sane. */
export const MAX_TEXT_LENGTH = 10_000;
/** For one-line values: company, gender, MercadoLibre user and each tag. */
export const MAX_LINE_LENGTH = 255;

const TRUE_WORDS = new Set(['true', '1', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'off', 'no']);

export function parseCheckbox(raw: unknown, parameter: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = scalarText(raw)?.toLowerCase();
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  throw invalid(parameter, 'Expected true or false (also accepted: 1/0, on/off, yes/no).');
}

export function parseNumber(raw: unknown, parameter: string): number {
  const value = numberOf(raw);
  if (value === undefined) throw invalid(parameter, 'Expected a number, such as 29.99 (a dot for decimals, no thousands separators).');
  return value;
}

function boundedText(raw: unknown, parameter: string, maxLength: number): string {
  const text = scalarText(raw);
  if (text === undefined) throw invalid(parameter, 'Expected text.');
  if (text === '') throw invalid(parameter, 'Expected text, got an empty value.');
  if (text.length > maxLength) throw invalid(parameter, `Expected at most ${maxLength} characters.`);
  return text;
}

export const parseText = (raw: unknown, parameter: string): string => boundedText(raw, parameter, MAX_TEXT_LENGTH);

export const parseLine = (raw: unknown, parameter: string): string => boundedText(raw, parameter, MAX_LINE_LENGTH);

/** The spec names "male" and "female"; any other value is kept as written. */
export function parseGender(raw: unknown, parameter: string): string {
  const text = parseLine(raw, parameter);
  const word = text.toLowerCase();
  return word === 'male' || word === 'female' ? word : text;
}

export function parseMercadoLibreUser(raw: unknown, parameter: string): string {
  const user = parseLine(raw, parameter);
  if (/\s/.test(user)) throw invalid(parameter, 'A MercadoLibre user name has no spaces.');
  return user;
}

/**
 * Tags from an array (JSON or `tags[]=` form fields) or one comma-separated string. Items are
 * trimmed, blanks dropped and duplicates removed ignoring case, keeping the first spelling, so
 * "VIP" and "vip" cannot both be set.
 */
export function parseTags(raw: unknown, parameter: string): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (items === undefined) throw invalid(parameter, 'Expected a list of tags or a comma-separated string.');
  const tags = new Map<string, string>();
  for (const item of items) {
    const tag = scalarText(item);
    if (tag === undefined) throw invalid(parameter, 'Each tag must be text.');
    if (tag.length > MAX_LINE_LENGTH) throw invalid(parameter, `Each tag must have at most ${MAX_LINE_LENGTH} characters.`);
    const key = tag.toLowerCase();
    if (tag !== '' && !tags.has(key)) tags.set(key, tag);
  }
  if (tags.size === 0) throw invalid(parameter, 'Expected at least one tag.');
  return [...tags.values()];
}
