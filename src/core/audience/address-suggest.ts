/**
 * Turns a free-text address into the address property's fields, offline and deterministically.
 * It reads comma-separated parts:
 *
 * 1. the last part is the country when it names one (English or a native name, an alias such as
 *    "USA", or an ISO alpha-2 code that is not a state of the default country: "CA" is California
 *    for a US business, Canada otherwise);
 * 2. the postal code is found with the country's format (NL "1015 CJ", GB "SW1A 2AA", CA, IE,
 *    US "94043-1351", AR "C1000", BR, PT, PL, JP, SE, CL) or four to six digits; without a named
 *    country the NL, GB and CA formats also tell it. The text beside the code is the city, and a
 *    US, Canadian or Australian state abbreviation before it is the region;
 * 3. the street is the first part with a house number, before ("1600 Amphitheatre Parkway") or
 *    after ("Keizersgracht 123", "1248B", "12-14") the name, or with a street word ("Calle");
 * 4. other parts are, by position, the neighbourhood (subregion) between street and city, then
 *    the region; when no postal code gave the city, the first is the city.
 *
 * Nothing is dropped: units ("Apt 4B"), parts before the street and parts left over go to notes.
 * The default country applies only when something besides notes was found.
 */
import {
  countryOfName,
  GENERIC_POSTAL,
  isIsoCountry,
  hasStreetWord,
  NUMBER_FIRST_COUNTRIES,
  POSTAL_FORMATS,
  REGION_ABBREVIATIONS,
  TELLING_POSTAL_COUNTRIES,
  UNIT,
  type PostalFormat,
} from './address-suggest.tables.js';
import type { AddressValue } from './property-values.address.js';

export interface SuggestOptions {
  /** ISO alpha-2 assumed when the text names no country, usually the business's. */
  readonly country?: string | undefined;
}

interface Street {
  name: string;
  number: string | null;
}

interface Postal {
  index: number;
  code: string;
  before: string;
  after: string;
  country: string | undefined;
}

const NUMBER = String.raw`\d+[a-z]?(?:\s*[-/]\s*\d+[a-z]?)?`;
const NUMBER_AFTER = new RegExp(String.raw`^(.*?\p{L}.*?)[\s,]+(?:(?:n[º°o]|nr|num)\.?\s*)?(${NUMBER})$`, 'iu');
const NUMBER_BEFORE = new RegExp(String.raw`^(${NUMBER})\s+(\p{L}.*)$`, 'iu');
const BARE_NUMBER = new RegExp(String.raw`^(?:(?:n[º°o]|nr|num)\.?\s*)?(${NUMBER})$`, 'iu');
const HAS_LETTER = /\p{L}/u;

function houseNumber(part: string, numberFirst: boolean): Street | undefined {
  const after = (): Street | undefined => {
    const match = NUMBER_AFTER.exec(part);
    return match?.[1] && match[2] ? { name: match[1].trim(), number: match[2].replace(/\s+/g, '') } : undefined;
  };
  const before = (): Street | undefined => {
    const match = NUMBER_BEFORE.exec(part);
    return match?.[1] && match[2] ? { name: match[2].trim(), number: match[1].replace(/\s+/g, '') } : undefined;
  };
  return numberFirst ? (before() ?? after()) : (after() ?? before());
}

/**
 * The country that has `token` as a state abbreviation: the named country or none; else the
 * default country, else the only one that has it ("NSW" is Australian, "WA" is ambiguous).
 */
function regionCountry(token: string, detected: string | undefined, fallback: string | undefined): string | undefined {
  const owners = Object.keys(REGION_ABBREVIATIONS).filter((owner) => REGION_ABBREVIATIONS[owner]?.has(token));
  if (detected !== undefined) return owners.includes(detected) ? detected : undefined;
  if (fallback !== undefined && owners.includes(fallback)) return fallback;
  return owners.length === 1 ? owners[0] : undefined;
}

function countryOfPart(part: string, fallback: string | undefined): string | undefined {
  if (/^[A-Z]{2}$/.test(part)) {
    const isFallbackRegion = fallback !== undefined && REGION_ABBREVIATIONS[fallback]?.has(part) === true;
    return isIsoCountry(part) && !isFallbackRegion ? part : undefined;
  }
  return countryOfName(part);
}

/** A plain number at the edge of a street part is its house number, not a postal code. */
function isHouseNumberMatch(part: string, match: RegExpExecArray): boolean {
  const atEdge = match.index === 0 || match.index + match[0].length === part.length;
  return /^\d+$/.test(match[0]) && atEdge && hasStreetWord(part);
}

function findPostal(parts: readonly string[], formats: readonly [PostalFormat, string | undefined][]): Postal | undefined {
  for (const [format, country] of formats) {
    for (const [index, part] of parts.entries()) {
      const match = format.pattern.exec(part);
      if (!match || isHouseNumberMatch(part, match)) continue;
      const before = part.slice(0, match.index).replace(/[\s\-–]+$/, '');
      const after = part.slice(match.index + match[0].length).replace(/^[\s\-–]+/, '');
      return { index, code: format.normalise(match[0]), before, after, country };
    }
  }
  return undefined;
}

function postalFormats(detected: string | undefined, fallback: string | undefined): [PostalFormat, string | undefined][] {
  const formats: [PostalFormat, string | undefined][] = [];
  if (detected === undefined) {
    for (const country of TELLING_POSTAL_COUNTRIES) formats.push([POSTAL_FORMATS[country] ?? GENERIC_POSTAL, country]);
  }
  // A country's own format stands alone: four digits there are a house number, not a code.
  formats.push([POSTAL_FORMATS[detected ?? fallback ?? ''] ?? GENERIC_POSTAL, undefined]);
  return formats;
}

function blankAddress(): AddressValue {
  return {
    street: { name: null, number: null },
    postal_code: null,
    city: null,
    region: null,
    subregion: null,
    country: null,
    latitude: null,
    longitude: null,
    notes: null,
  };
}

export function suggestAddress(text: string, options: SuggestOptions = {}): AddressValue {
  const fallback = options.country?.toUpperCase();
  const defaultCountry = fallback !== undefined && isIsoCountry(fallback) ? fallback : undefined;
  const parts = text
    .split(/[,;\n]+/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part !== '');
  const address = blankAddress();
  const notes: string[] = [];

  const lastPart = parts.at(-1);
  let detected = lastPart === undefined ? undefined : countryOfPart(lastPart, defaultCountry);
  if (detected !== undefined) parts.pop();

  // Ordinary parts keep their position so neighbourhood and region can be told apart.
  const ordinary: { text: string; position: number }[] = parts.map((part, position) => ({ text: part, position }));
  let cityPosition: number | undefined;
  const takeRegion = (token: string): boolean => {
    const owner = address.region === null ? regionCountry(token, detected, defaultCountry) : undefined;
    if (owner === undefined) return false;
    address.region = token;
    detected ??= owner;
    return true;
  };

  const postal = findPostal(parts, postalFormats(detected, defaultCountry));
  if (postal) {
    address.postal_code = postal.code;
    detected ??= postal.country;
    ordinary.splice(postal.index, 1);
    let before = postal.before;
    const lastWord = /(?:^|\s)([A-Z]{2,3})$/.exec(before);
    if (lastWord?.[1] && takeRegion(lastWord[1])) before = before.slice(0, lastWord.index).trim();
    // "Keizersgracht 123 1015 CJ Amsterdam": the text before the code is the street, not the city.
    const beforeIsCity = postal.after === '' && houseNumber(before, NUMBER_FIRST_COUNTRIES.has(detected ?? defaultCountry ?? '')) === undefined;
    const city = beforeIsCity ? before : postal.after;
    if (HAS_LETTER.test(city)) {
      address.city = city;
      cityPosition = postal.index;
    } else if (city !== '') notes.push(city);
    if (!beforeIsCity && before !== '') ordinary.splice(postal.index, 0, { text: before, position: postal.index });
  }

  const numberFirst = NUMBER_FIRST_COUNTRIES.has(detected ?? defaultCountry ?? '');
  const streetAt = ordinary.findIndex(
    ({ text: part }) => !UNIT.test(part) && HAS_LETTER.test(part) && (houseNumber(part, numberFirst) !== undefined || hasStreetWord(part)),
  );
  const streetPart = ordinary[streetAt];
  if (streetPart) {
    const street = houseNumber(streetPart.text, numberFirst) ?? { name: streetPart.text, number: null };
    const next = ordinary[streetAt + 1];
    const bare = street.number === null && next ? BARE_NUMBER.exec(next.text) : null;
    if (bare?.[1]) {
      street.number = bare[1].replace(/\s+/g, '');
      ordinary.splice(streetAt + 1, 1);
    }
    address.street = street;
  }

  for (const [index, { text: part, position }] of ordinary.entries()) {
    if (index === streetAt) continue;
    const placeable = index > streetAt && !UNIT.test(part) && HAS_LETTER.test(part);
    if (placeable && /^[A-Z]{2,3}$/.test(part) && takeRegion(part)) continue;
    if (placeable && cityPosition === undefined && address.city === null) address.city = part;
    else if (placeable && cityPosition !== undefined && position < cityPosition && address.subregion === null) address.subregion = part;
    else if (placeable && (cityPosition === undefined || position > cityPosition) && address.region === null) address.region = part;
    else notes.push(part);
  }

  address.notes = notes.length > 0 ? notes.join(', ') : null;
  const found = address.street.name !== null || address.postal_code !== null || address.city !== null || address.region !== null;
  address.country = detected ?? (found ? (defaultCountry ?? null) : null);
  return address;
}
