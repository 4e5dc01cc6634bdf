/** Validators of the locale settings a business carries, shared by config and core. */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const currencies = new Set(Intl.supportedValuesOf('currency'));

/** ISO 3166-1 alpha-2, upper case. */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/.test(value) && regionNames.of(value) !== undefined;
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
