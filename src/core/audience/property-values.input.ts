/**
 * Readers shared by the property value parsers. Input comes from JSON bodies (typed values) and
 * from form bodies (every leaf is a string, arrays as `a[]`, objects as `a[b]`), so each reader
 * accepts both spellings of the same value.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The trimmed text of a string or a finite number; undefined for anything else. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Digits, an optional fraction and exponent; no hex, no thousands separators, no `Infinity`. */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A finite number from a number or a numeric string; undefined when it is neither. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !NUMERIC.test(value.trim())) return undefined;
  const parsed = Number(value.trim());
  // -0 would make equal values search differently.
  return Number.isFinite(parsed) ? parsed + 0 : undefined;
}

/**
 * Whether an input means "no value": undefined, null, blank text, and arrays or objects holding
 * only such values (`{}`, `[]`, `tags[]=` from a form, an address whose fields are all blank).
 * `false` and `0` are values.
 */
export function isEmptyPropertyInput(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw === 'string') return raw.trim() === '';
  if (Array.isArray(raw)) return raw.every(isEmptyPropertyInput);
  if (isRecord(raw)) return Object.values(raw).every(isEmptyPropertyInput);
  return false;
}

/** JSON with object keys sorted at every depth, so equal values always serialise equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Lower case and composed accents, so "É" typed two ways searches the same. */
export function searchableText(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
