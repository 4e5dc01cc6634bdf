/**
 * How a stored property value reads inside a message. The wire form (property-values.ts) is
 * JSON for programs; here each kind becomes the words a customer would expect to read.
 */
import type { AddressValue, DateValue, PropertyKind, PropertyValueByKind } from '../../audience/property-values.js';

const FALLBACK_LOCALE = 'en';

/** The profile's language when the runtime knows it, else English. */
export function textLocale(language: string | null): string {
  if (language === null) return FALLBACK_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([language.replace('_', '-')])[0] ?? FALLBACK_LOCALE;
  } catch {
    // A stored language that is no BCP 47 tag at all.
    return FALLBACK_LOCALE;
  }
}

/** "November 3, 1985", "November 3" (no year), "November 1985", "1985", in the reader's language. */
export function dateText(date: DateValue, locale: string): string {
  const { day, month, year } = date;
  if (month === null) return year === null ? (day === null ? '' : String(day)) : String(year);
  const at = new Date(Date.UTC(year ?? 2000, month - 1, day ?? 1));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', month: 'long' };
  if (day !== null) options.day = 'numeric';
  if (year !== null) options.year = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(at);
}

/** "Av. Luis Alberto de Herrera 1248, 11300 Montevideo, Departamento de Montevideo, UY". */
export function addressText(address: AddressValue): string {
  const street = [address.street.name, address.street.number].filter(Boolean).join(' ');
  const town = [address.postal_code, address.city].filter(Boolean).join(' ');
  return [street, address.subregion, town, address.region, address.country].filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
}

const isDate = (value: unknown): value is DateValue => typeof value === 'object' && value !== null && 'month' in value && 'day' in value;
const isAddress = (value: unknown): value is AddressValue => typeof value === 'object' && value !== null && 'street' in value;

/** The text of a value of any kind; checkboxes read "yes"/"no", tags are listed with commas. */
export function propertyText(kind: PropertyKind, value: PropertyValueByKind[PropertyKind], locale: string): string {
  if ((kind === 'birthday' || kind === 'date') && isDate(value)) return dateText(value, locale);
  if (kind === 'address' && isAddress(value)) return addressText(value);
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return '';
}
