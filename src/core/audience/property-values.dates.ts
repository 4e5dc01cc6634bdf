/**
 * Date and birthday values: a day, a month and a year, each possibly unknown ("only the year of
 * birth, or the day and month"), at least one known.
 *
 * Accepted input: an object `{day, month, year}` of numbers or digit strings (a missing, null or
 * blank part is unknown), or a string "YYYY-MM-DD", "YYYY-MM", "MM-DD" (also ISO's "--MM-DD") or
 * "YYYY". Slash forms are refused: "03/11" means two different days in Europe and the US.
 */
import { invalid } from '../shared/errors.js';
import { isRecord } from './property-values.input.js';

export interface DateValue {
  day: number | null;
  month: number | null;
  year: number | null;
}

export interface YearBounds {
  readonly min: number;
  readonly max: number;
}

/** Anything outside is a typo for a living customer's birth year. */
export const BIRTHDAY_YEARS: YearBounds = { min: 1900, max: 2100 };
/** A business date may be historical or far ahead; four digits keep it ISO 8601 and sortable. */
export const DATE_YEARS: YearBounds = { min: 1000, max: 9999 };

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const STRING_FORMATS: readonly { pattern: RegExp; parts: readonly (keyof DateValue)[] }[] = [
  { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, parts: ['year', 'month', 'day'] },
  { pattern: /^(\d{4})-(\d{1,2})$/, parts: ['year', 'month'] },
  { pattern: /^(?:--)?(\d{1,2})-(\d{1,2})$/, parts: ['month', 'day'] },
  { pattern: /^(\d{4})$/, parts: ['year'] },
];

function fromString(text: string, parameter: string): DateValue {
  const date: DateValue = { day: null, month: null, year: null };
  for (const { pattern, parts } of STRING_FORMATS) {
    const match = pattern.exec(text);
    if (!match) continue;
    parts.forEach((part, index) => {
      date[part] = Number(match[index + 1]);
    });
    return date;
  }
  throw invalid(parameter, `"${text}" is not a date: use YYYY-MM-DD, YYYY-MM, MM-DD, YYYY or {day, month, year}.`);
}

function datePart(raw: unknown, name: keyof DateValue, parameter: string): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text === '') return null;
    if (/^\d{1,4}$/.test(text)) return Number(text);
  }
  throw invalid(parameter, `The ${name} must be a whole number.`);
}

function fromObject(raw: Record<string, unknown>, parameter: string): DateValue {
  return {
    day: datePart(raw.day, 'day', parameter),
    month: datePart(raw.month, 'month', parameter),
    year: datePart(raw.year, 'year', parameter),
  };
}

/** February counts 29 days when the year is unknown: a birthday on 29 February is real. */
function daysInMonth(month: number, year: number | null): number {
  return new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
}

function check(date: DateValue, bounds: YearBounds, parameter: string): DateValue {
  const { day, month, year } = date;
  if (day === null && month === null && year === null) throw invalid(parameter, 'Give at least a day, a month or a year.');
  if (year !== null && (year < bounds.min || year > bounds.max)) {
    throw invalid(parameter, `The year must be between ${bounds.min} and ${bounds.max}.`);
  }
  if (month !== null && (month < 1 || month > 12)) throw invalid(parameter, 'The month must be between 1 and 12.');
  if (day !== null && (day < 1 || day > 31)) throw invalid(parameter, 'The day must be between 1 and 31.');
  if (day !== null && month !== null && day > daysInMonth(month, year)) {
    const monthName = MONTH_NAMES[month - 1] ?? String(month);
    throw invalid(parameter, `${monthName}${year === null ? '' : ` ${year}`} has no day ${day}.`);
  }
  return date;
}

export function parseDateValue(raw: unknown, bounds: YearBounds, parameter: string): DateValue {
  if (typeof raw === 'string') return check(fromString(raw.trim(), parameter), bounds, parameter);
  if (isRecord(raw)) return check(fromObject(raw, parameter), bounds, parameter);
  throw invalid(parameter, 'Expected a date: {day, month, year} or a string such as 1985-11-03.');
}
