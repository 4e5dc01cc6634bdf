/**
 * The value layer of profile properties: the kinds, what each stores, how raw input from a JSON
 * or form body becomes a stored value with its search text, and how a stored value goes on the
 * wire. Pure: no database, no I/O.
 *
 * An empty input means "remove the value", which is the caller's decision: check
 * isEmptyPropertyInput before parsing; the parsers refuse empty input as invalid.
 */
import { invalid } from '../shared/errors.js';
import { parseAddressValue, renderAddress, type AddressValue } from './property-values.address.js';
import { parseEmail, parsePhone, parseUrl } from './property-values.contact.js';
import { BIRTHDAY_YEARS, DATE_YEARS, parseDateValue, type DateValue, type YearBounds } from './property-values.dates.js';
import { canonicalJson, searchableText } from './property-values.input.js';
import { parseCheckbox, parseGender, parseLine, parseMercadoLibreUser, parseNumber, parseTags, parseText } from './property-values.scalars.js';

export type { AddressValue } from './property-values.address.js';
export { phoneCountry } from './property-values.contact.js';
export { BIRTHDAY_YEARS, DATE_YEARS, type DateValue } from './property-values.dates.js';
export { isEmptyPropertyInput } from './property-values.input.js';
export { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from './property-values.scalars.js';
export { timezoneOfCountry } from './property-values.timezones.js';

export const PROPERTY_KINDS = ['address', 'birthday', 'checkbox', 'company', 'date', 'email', 'gender', 'mercadolibre', 'number', 'phone', 'tags', 'text', 'url'] as const;
export type PropertyKind = (typeof PROPERTY_KINDS)[number];

/** The spec's "Cannot be unique" list (it also names `list`, which is not a property kind here). */
export const UNIQUE_INCAPABLE_KINDS: ReadonlySet<PropertyKind> = new Set<PropertyKind>(['birthday', 'checkbox', 'date', 'gender', 'tags']);

/** Kinds a message can reach, listed before all other properties in this order (the spec's). */
export const CONTACTABLE_KINDS = ['phone', 'email', 'mercadolibre'] as const satisfies readonly PropertyKind[];

/** Kinds whose properties, created through /v1/properties, belong to one profile (`profile` required). */
export const PROFILE_SCOPED_KINDS: ReadonlySet<PropertyKind> = new Set<PropertyKind>(['address', 'email', 'phone']);

/** What each kind stores (and, through renderPropertyValue, shows). */
export interface PropertyValueByKind {
  address: AddressValue;
  birthday: DateValue;
  checkbox: boolean;
  company: string;
  date: DateValue;
  /** Lower-cased and trimmed. */
  email: string;
  /** "male", "female" or any other text as written. */
  gender: string;
  mercadolibre: string;
  /** Finite. */
  number: number;
  /** E.164. */
  phone: string;
  /** Trimmed, non-empty, without case-insensitive duplicates. */
  tags: string[];
  text: string;
  /** An absolute http(s) URL as written. */
  url: string;
}

/** A stored value of any kind. */
export type StoredValue = PropertyValueByKind[PropertyKind];

export interface ParseOptions {
  /** The business's ISO alpha-2 country, to read local phone numbers and address text. */
  readonly country: string;
  /** The input parameter named in errors. */
  readonly parameter: string;
}

export interface ParsedValue<K extends PropertyKind = PropertyKind> {
  value: PropertyValueByKind[K];
  /**
   * The value as equality search and uniqueness compare it: E.164 for phones, lower-cased text
   * for the other text kinds, canonical JSON (keys sorted, text lower-cased; tags sorted) for
   * structured ones, `true`/`false` and the shortest decimal for checkboxes and numbers.
   */
  searchText: string;
}

interface Codec<V> {
  parse(raw: unknown, options: ParseOptions): V;
  searchText(value: V): string;
  render(value: V): V;
}

const same = <V>(value: V): V => value;

const textCodec = (parse: (raw: unknown, parameter: string) => string): Codec<string> => ({
  parse: (raw, { parameter }) => parse(raw, parameter),
  searchText: searchableText,
  render: same,
});

const dateCodec = (bounds: YearBounds): Codec<DateValue> => ({
  parse: (raw, { parameter }) => parseDateValue(raw, bounds, parameter),
  searchText: canonicalJson,
  render: (date) => ({ day: date.day, month: date.month, year: date.year }),
});

const CODECS: { [K in PropertyKind]: Codec<PropertyValueByKind[K]> } = {
  address: {
    parse: (raw, { country, parameter }) => parseAddressValue(raw, country, parameter),
    searchText: (address) => searchableText(canonicalJson(address)),
    render: renderAddress,
  },
  birthday: dateCodec(BIRTHDAY_YEARS),
  checkbox: { parse: (raw, { parameter }) => parseCheckbox(raw, parameter), searchText: String, render: same },
  company: textCodec(parseLine),
  date: dateCodec(DATE_YEARS),
  email: textCodec(parseEmail),
  gender: textCodec(parseGender),
  mercadolibre: textCodec(parseMercadoLibreUser),
  number: { parse: (raw, { parameter }) => parseNumber(raw, parameter), searchText: String, render: same },
  phone: { parse: (raw, { country, parameter }) => parsePhone(raw, parameter, country), searchText: same, render: same },
  tags: {
    parse: (raw, { parameter }) => parseTags(raw, parameter),
    searchText: (tags) => canonicalJson(tags.map(searchableText).sort()),
    render: (tags) => [...tags],
  },
  text: textCodec(parseText),
  url: textCodec(parseUrl),
};

/** The stored value and search text of a raw input; throws DomainError 'invalid' with a hint. */
export function parsePropertyValue<K extends PropertyKind>(kind: K, raw: unknown, options: ParseOptions): ParsedValue<K> {
  const codec: Codec<PropertyValueByKind[K]> = CODECS[kind];
  const value = codec.parse(raw, options);
  return { value, searchText: codec.searchText(value) };
}

/** The wire value of a stored one, as in the spec's examples. The only place that maps them. */
export function renderPropertyValue<K extends PropertyKind>(kind: K, stored: PropertyValueByKind[K]): PropertyValueByKind[K] {
  const codec: Codec<PropertyValueByKind[K]> = CODECS[kind];
  return codec.render(stored);
}

/** Checks a kind name read from input. */
export function propertyKind(raw: string, parameter: string): PropertyKind {
  const kind = PROPERTY_KINDS.find((known) => known === raw);
  if (kind === undefined) throw invalid(parameter, `Unknown property kind "${raw}": use one of ${PROPERTY_KINDS.join(', ')}.`);
  return kind;
}
