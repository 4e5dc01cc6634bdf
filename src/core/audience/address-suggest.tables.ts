/** Reference tables of the address parser: country names, regions, postal codes, street words. */
import { getAllCountries } from 'countries-and-timezones';

/** Case, accents, dots and punctuation do not tell names apart: "EE.UU." = "eeuu", "España" = "espana". */
export function nameKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

const ISO_COUNTRIES: ReadonlySet<string> = new Set(Object.keys(getAllCountries()));

/**
 * An assigned ISO 3166-1 alpha-2 code, upper case. Intl.DisplayNames alone would also name
 * user-assigned codes such as ZZ ("Unknown Region") and XA.
 */
export function isIsoCountry(code: string): boolean {
  return ISO_COUNTRIES.has(code);
}

/** Names people write that no locale's official name covers. */
const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US', us: 'US', eeuu: 'US', eua: 'US', 'united states': 'US',
  uk: 'GB', britain: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', inglaterra: 'GB', 'gran bretana': 'GB',
  holland: 'NL', holanda: 'NL', hollande: 'NL',
  'republica oriental del uruguay': 'UY',
  'czech republic': 'CZ', turkey: 'TR', korea: 'KR', uae: 'AE', russia: 'RU',
};

/**
 * The names of every ISO country in the languages of our customers' addresses, from the ICU data
 * Node ships (Intl.DisplayNames), so no list of names is maintained here.
 */
const NAME_LOCALES = ['en', 'es', 'pt', 'fr', 'de', 'nl', 'it'];

function buildCountryNames(): ReadonlyMap<string, string> {
  const names = new Map<string, string>(Object.entries(COUNTRY_ALIASES));
  const add = (name: string | undefined, code: string) => {
    if (name === undefined) return;
    for (const variant of [name, name.replace(/\s*\(.*\)\s*/g, ' ')]) {
      const key = nameKey(variant);
      if (key !== '' && !names.has(key)) names.set(key, code);
    }
  };
  const countries = Object.values(getAllCountries());
  for (const country of countries) add(country.name, country.id);
  for (const locale of NAME_LOCALES) {
    const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const country of countries) add(display.of(country.id), country.id);
  }
  return names;
}

const COUNTRY_NAMES = buildCountryNames();

/** ISO alpha-2 of a country written out in one of NAME_LOCALES or a common alias. */
export function countryOfName(text: string): string | undefined {
  return COUNTRY_NAMES.get(nameKey(text));
}

/** Postal abbreviations of states, provinces and territories, written beside the postal code. */
export const REGION_ABBREVIATIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  US: new Set(
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP'.split(' '),
  ),
  CA: new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ')),
  AU: new Set('ACT NSW NT QLD SA TAS VIC WA'.split(' ')),
};

/** Countries whose addresses put the house number before the street name. */
export const NUMBER_FIRST_COUNTRIES: ReadonlySet<string> = new Set(['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'FR', 'LU', 'ZA', 'IN', 'PH', 'SG', 'MY']);

/** Letters in postal codes are matched in capitals only, so "1234 de Mayo" is not a Dutch code. */
export interface PostalFormat {
  readonly pattern: RegExp;
  /** The code as the post office writes it. */
  readonly normalise: (code: string) => string;
}

const asWritten = (code: string) => code;
/** Upper case with one space before the last `tail` characters: "sw1a2aa" → "SW1A 2AA". */
const spaced = (tail: number) => (code: string) => {
  const compact = code.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -tail)} ${compact.slice(-tail)}`;
};

export const POSTAL_FORMATS: Readonly<Record<string, PostalFormat>> = {
  NL: { pattern: /\b\d{4} ?[A-Z]{2}\b/, normalise: spaced(2) },
  GB: { pattern: /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/, normalise: spaced(3) },
  CA: { pattern: /\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b/, normalise: spaced(3) },
  IE: { pattern: /\b[A-Z]\d[\dW] ?[A-Z\d]{4}\b/, normalise: spaced(4) },
  US: { pattern: /\b\d{5}(?:-\d{4})?\b/, normalise: asWritten },
  AR: { pattern: /\b[A-Z]\d{4}[A-Z]{3}\b|\b[A-Z]?\d{4}\b/, normalise: asWritten },
  BR: { pattern: /\b\d{5}-?\d{3}\b/, normalise: (code) => code.replace(/^(\d{5})-?/, '$1-') },
  PT: { pattern: /\b\d{4}-\d{3}\b/, normalise: asWritten },
  PL: { pattern: /\b\d{2}-\d{3}\b/, normalise: asWritten },
  JP: { pattern: /\b\d{3}-\d{4}\b/, normalise: asWritten },
  SE: { pattern: /\b\d{3} ?\d{2}\b/, normalise: spaced(2) },
  CL: { pattern: /\b\d{7}\b/, normalise: asWritten },
};

/** Four to six digits: most other countries (UY, ES, DE, FR, IT, MX, AU, BE, CH, CO, …). */
export const GENERIC_POSTAL: PostalFormat = { pattern: /\b\d{4,6}\b/, normalise: asWritten };

/** Formats that give their country away when the text names none. */
export const TELLING_POSTAL_COUNTRIES = ['NL', 'GB', 'CA'] as const;

/** Whole words that make a part a street (compared with nameKey). */
const STREET_WORDS = new Set(
  ('calle c av avda avenida avenue ave rua r rue street st road rd lane ln drive dr boulevard blvd bulevar way parkway pkwy ' +
    'place pl court ct terrace crescent close highway hwy plaza praca paseo pasaje camino carrera cra diagonal ruta rambla ' +
    'chemin allee via viale piazza corso largo travessa alameda straat weg laan plein gracht kade singel dreef steeg ' +
    'strasse str gasse platz damm ufer').split(' '),
);
/** Endings of Dutch and German compound street names: "Keizersgracht", "Hauptstraße". */
const STREET_SUFFIXES = ['straat', 'gracht', 'weg', 'laan', 'plein', 'kade', 'singel', 'dreef', 'steeg', 'strasse', 'gasse', 'platz', 'damm'];

export function hasStreetWord(text: string): boolean {
  return nameKey(text)
    .split(' ')
    .some((word) => STREET_WORDS.has(word) || STREET_SUFFIXES.some((suffix) => word.length > suffix.length && word.endsWith(suffix)));
}

/** An apartment, floor, suite or unit with its number: kept in notes, never mistaken for a street. */
export const UNIT = /^(?:apt|apartment|apto|apartamento|depto|dpto|piso|floor|fl|suite|ste|unit|unidad|oficina|office|of|bus|#)\.?\s*[\w-]*\d/i;
