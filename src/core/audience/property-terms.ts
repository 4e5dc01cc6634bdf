import { searchableText } from './property-values.input.js';
import type { PropertyKind, PropertyValueByKind } from './property-values.js';

const MAX_TERM = 255;

const pad = (n: number) => String(n).padStart(2, '0');

function parts(kind: PropertyKind, value: PropertyValueByKind[PropertyKind]): string[] {
  if (kind === 'tags' && Array.isArray(value)) return value.map(String);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  if ((kind === 'birthday' || kind === 'date') && 'month' in value) {
    const { day, month, year } = value;
    const terms: string[] = [];
    if (year !== null && month !== null && day !== null) terms.push(`${year}-${pad(month)}-${pad(day)}`);
    if (month !== null && day !== null) terms.push(`${pad(month)}-${pad(day)}`);
    if (year !== null) terms.push(String(year));
    return terms;
  }
  if (kind === 'address' && 'street' in value) {
    const { street, postal_code, city, region, subregion, country } = value;
    return [street.name, street.number, street.name && street.number ? `${street.name} ${street.number}` : null, postal_code, city, region, subregion, country].filter(
      (part): part is string => typeof part === 'string' && part !== '',
    );
  }
  return [];
}

/**
 * What `GET /v1/profiles?property=…` can find a value by: its whole normalised form, and for
 * structured kinds each tag, each address field and the usual forms of a date.
 */
export function searchTerms(kind: PropertyKind, value: PropertyValueByKind[PropertyKind], searchText: string): string[] {
  const terms = new Set([searchText, ...parts(kind, value).map(searchableText)].map((term) => term.slice(0, MAX_TERM)));
  terms.delete('');
  return [...terms];
}
