import { isCurrencyCode } from '../business/locale.js';
import { DomainError, invalid } from '../shared/errors.js';

/**
 * Money in the core: integers in ten-thousandths of the currency unit (`e4`), so sums and
 * totals are exact on both databases, with an ISO 4217 code beside them. Rendering rounds
 * to the currency's own minor unit ("199.95" USD, "1500" JPY).
 */
export interface Money {
  readonly e4: number;
  readonly currency: string;
}

const SCALE = 10_000;
/** Largest amount accepted: keeps e4 values (and sums of many) inside the safe integer range. */
const MAX_AMOUNT = 100_000_000_000;

export const DEFAULT_CURRENCY = 'USD';

/** Rounds half away from zero, so an amount and its negation round to opposites (and -0 is 0). */
const roundHalfAway = (value: number): number => (value < 0 ? -Math.round(-value) : Math.round(value)) || 0;

/** An amount given as a number or a decimal string ("19.90", 19.9); at most four decimals are kept. */
export function parseAmount(value: unknown, parameter: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw invalid(parameter, 'Expected a decimal amount such as 19.90.');
  const amount = Number(text);
  if (!Number.isFinite(amount) || Math.abs(amount) > MAX_AMOUNT) throw invalid(parameter, `An amount is at most ${MAX_AMOUNT}.`);
  // A plain decimal is rounded on its digits: 600.60935 × 10⁴ is 6006093.4999… in binary.
  const plain = /^(-?)(\d*)\.?(\d*)$/.exec(text);
  if (!plain) return roundHalfAway(amount * SCALE);
  const whole = plain[2] || '0';
  const fraction = plain[3] ?? '';
  const e4 = Number(whole) * SCALE + Number(fraction.slice(0, 4).padEnd(4, '0')) + ((fraction[4] ?? '0') >= '5' ? 1 : 0);
  return plain[1] === '-' ? -e4 || 0 : e4;
}

/** An ISO 4217 code in any case, returned upper case. */
export function parseCurrency(value: unknown, parameter: string): string {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!isCurrencyCode(code)) throw invalid(parameter, 'Expected an ISO 4217 currency code such as USD.');
  return code;
}

/** Amount and currency read together: a currency alone is refused, an amount alone is in USD. */
export function parseMoney(amount: unknown, currency: unknown, parameters = { amount: 'amount', currency: 'currency' }): Money | undefined {
  const hasAmount = amount !== undefined && amount !== null && amount !== '';
  const hasCurrency = currency !== undefined && currency !== null && currency !== '';
  if (!hasAmount) {
    if (hasCurrency) throw new DomainError('missing', 'An amount is required when a currency is given.', parameters.amount);
    return undefined;
  }
  return { e4: parseAmount(amount, parameters.amount), currency: hasCurrency ? parseCurrency(currency, parameters.currency) : DEFAULT_CURRENCY };
}

const minorUnitsCache = new Map<string, number>();

/** Decimal places of a currency's minor unit (2 for USD, 0 for JPY, 3 for KWD). */
export function minorUnits(currency: string): number {
  let digits = minorUnitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnitsCache.set(currency, digits);
  }
  return digits;
}

/** "199.95": the amount rounded to the currency's minor unit, as a decimal string. */
export function formatAmount(e4: number, currency: string): string {
  const digits = minorUnits(currency);
  const factor = 10 ** (4 - digits);
  const rounded = roundHalfAway(e4 / factor);
  const sign = rounded < 0 ? '-' : '';
  const units = Math.abs(rounded);
  if (digits === 0) return `${sign}${units}`;
  const whole = Math.floor(units / 10 ** digits);
  const fraction = String(units % 10 ** digits).padStart(digits, '0');
  return `${sign}${whole}.${fraction}`;
}

/** The amount as a JSON number (events and product prices show floats). */
export const amountNumber = (e4: number): number => e4 / SCALE;

/** e4 × quantity, rounded to an e4 integer. */
export const times = (e4: number, quantity: number): number => Math.round(e4 * quantity);

/**
 * An amount computed from others (price × quantity, a total, a conversion), refused as
 * `invalid` on `parameter` when it leaves the safe integer range: past it sums stop being
 * exact, and PostgreSQL's bigint ends soon after.
 */
export function checkedE4(e4: number, parameter: string): number {
  if (!Number.isSafeInteger(e4)) throw invalid(parameter, 'The amount this makes is too large to be kept exactly.');
  return e4;
}
