/** Validators of the locale settings a business carries, shared by config and core. */

import { getCountry } from 'countries-and-timezones';

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** ISO 3166-1 alpha-2, upper case. */
export function isCountryCode(value: string): boolean {
  // Intl.DisplayNames also names user-assigned codes (ZZ, XA): the ISO list does not.
  return /^[A-Z]{2}$/.test(value) && getCountry(value) !== null;
}

/** ISO 4217, upper case. */
export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value) && currencies.has(value);
}

/** IANA time zone name (or UTC). */
export function isTimeZone(value: string): boolean {
  if (value.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
