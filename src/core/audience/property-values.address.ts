/**
 * Address values. Input is an object with the stored keys (partial; unknown keys ignored; `street`
 * an object or a string that becomes the street name), `{suggest: "free text"}` (the explicit keys
 * beside `suggest` win over what the parser found), or free text. Free text goes through
 * suggestAddress with the business's country as the default.
 */
import { invalid } from '../shared/errors.js';
import { countryOfName, isIsoCountry } from './address-suggest.tables.js';
import { suggestAddress } from './address-suggest.js';
import { isEmptyPropertyInput, isRecord, numberOf, scalarText } from './property-values.input.js';
import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from './property-values.scalars.js';

export interface AddressValue {
  street: { name: string | null; number: string | null };
  postal_code: string | null;
  city: string | null;
  region: string | null;
  subregion: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** Decimal degrees as a plain decimal string ("-34.9044168"); see renderAddress for the wire. */
  latitude: string | null;
  longitude: string | null;
  notes: string | null;
}

const TEXT_FIELDS = ['postal_code', 'city', 'region', 'subregion'] as const;

function addressText(raw: unknown, field: string, parameter: string, maxLength = MAX_LINE_LENGTH): string | null {
  if (raw === undefined || raw === null) return null;
  const text = scalarText(raw);
  if (text === undefined) throw invalid(parameter, `The address ${field} must be text.`);
  if (text.length > maxLength) throw invalid(parameter, `The address ${field} must have at most ${maxLength} characters.`);
  return text === '' ? null : text;
}

function addressCountry(raw: unknown, parameter: string): string | null {
  const text = addressText(raw, 'country', parameter);
  if (text === null) return null;
  const code = /^[a-z]{2}$/i.test(text) ? text.toUpperCase() : countryOfName(text);
  if (code === undefined || !isIsoCountry(code)) throw invalid(parameter, `"${text}" is not a country: use an ISO 3166-1 alpha-2 code such as UY.`);
  return code;
}

function coordinate(raw: unknown, field: string, limit: number, parameter: string): string | null {
  if (isEmptyPropertyInput(raw)) return null;
  const value = numberOf(raw);
  if (value === undefined || Math.abs(value) > limit) throw invalid(parameter, `The address ${field} must be a number between -${limit} and ${limit}.`);
  return String(value);
}

function street(raw: unknown, parameter: string): AddressValue['street'] {
  if (isRecord(raw)) return { name: addressText(raw.name, 'street name', parameter), number: addressText(raw.number, 'street number', parameter) };
  return { name: addressText(raw, 'street', parameter), number: null };
}

function givenFields(raw: Record<string, unknown>, parameter: string): AddressValue {
  const address: AddressValue = {
    street: street(raw.street, parameter),
    postal_code: null,
    city: null,
    region: null,
    subregion: null,
    country: addressCountry(raw.country, parameter),
    latitude: coordinate(raw.latitude, 'latitude', 90, parameter),
    longitude: coordinate(raw.longitude, 'longitude', 180, parameter),
    notes: addressText(raw.notes, 'notes', parameter, MAX_TEXT_LENGTH),
  };
  for (const field of TEXT_FIELDS) address[field] = addressText(raw[field], field.replace('_', ' '), parameter);
  return address;
}

function overlay(base: AddressValue, given: AddressValue): AddressValue {
  return {
    street: { name: given.street.name ?? base.street.name, number: given.street.number ?? base.street.number },
    postal_code: given.postal_code ?? base.postal_code,
    city: given.city ?? base.city,
    region: given.region ?? base.region,
    subregion: given.subregion ?? base.subregion,
    country: given.country ?? base.country,
    latitude: given.latitude ?? base.latitude,
    longitude: given.longitude ?? base.longitude,
    notes: given.notes ?? base.notes,
  };
}

function suggested(text: string, country: string, parameter: string): AddressValue {
  if (text.length > MAX_TEXT_LENGTH) throw invalid(parameter, `The address text must have at most ${MAX_TEXT_LENGTH} characters.`);
  return suggestAddress(text, { country });
}

export function parseAddressValue(raw: unknown, country: string, parameter: string): AddressValue {
  let address: AddressValue;
  if (typeof raw === 'string') {
    address = suggested(raw, country, parameter);
  } else if (isRecord(raw)) {
    const { suggest } = raw;
    if (suggest !== undefined && suggest !== null && typeof suggest !== 'string') throw invalid(parameter, 'The address suggest must be text.');
    const given = givenFields(raw, parameter);
    address = typeof suggest === 'string' ? overlay(suggested(suggest, country, parameter), given) : given;
  } else {
    throw invalid(parameter, 'Expected an address: an object with street, postal_code, city, region, subregion, country, latitude, longitude or notes; {suggest: "free text"}; or free text.');
  }
  if (isEmptyPropertyInput(address)) throw invalid(parameter, 'No address field was recognised: give street, postal_code, city, region, subregion, country, latitude, longitude or notes.');
  return address;
}

/**
 * Hellotext writes coordinates as Ruby BigDecimal strings ("-0.349044168e2" for -34.9044168);
 * clients written against it may compare them as text, so the wire keeps that notation.
 */
export function bigDecimalNotation(decimal: string): string {
  const value = Number(decimal);
  if (value === 0) return '0.0';
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return `${value < 0 ? '-' : ''}0.${digits}e${Number(exponent) + 1}`;
}

/** The wire object: keys in the order of the spec's example, coordinates in BigDecimal notation. */
export function renderAddress(address: AddressValue): AddressValue {
  return {
    city: address.city,
    country: address.country,
    latitude: address.latitude === null ? null : bigDecimalNotation(address.latitude),
    longitude: address.longitude === null ? null : bigDecimalNotation(address.longitude),
    notes: address.notes,
    postal_code: address.postal_code,
    region: address.region,
    street: { name: address.street.name, number: address.street.number },
    subregion: address.subregion,
  };
}
