import { invalid } from '../../core/shared/errors.js';

/**
 * Readers of Hellotext request parameters. The same object arrives from JSON and from
 * bracket-notation forms, so scalars may be strings either way and an empty form value
 * means "not given". Each reader names the parameter in its refusal.
 */

export type Body = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object of parameters (a missing body is `{}`). */
export function bodyOf(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (!isRecord(body)) throw invalid('body', 'Expected an object of parameters.');
  return body;
}

/** A string parameter: undefined when absent, null when explicitly null. */
export function textField(body: Body, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw invalid(key, 'Expected a string.');
}

export function booleanParameter(value: unknown, parameter: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  throw invalid(parameter, 'Expected true or false.');
}

/**
 * An array parameter. Forms send `tags[]=a&tags[]=b` (an array) or `tags[0]=a` (an object
 * keyed by index); JSON sends an array. A lone string is a one-element array; an empty form
 * value is an empty array.
 */
export function arrayField(body: Body, key: string): unknown[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  if (value === '') return [];
  if (isRecord(value) && Object.keys(value).every((index) => /^\d+$/.test(index))) {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  }
  if (typeof value === 'string' || typeof value === 'number') return [value];
  throw invalid(key, 'Expected an array.');
}

/** A hash parameter such as metadata or `*_parameters`; an empty form value is `{}`. */
export function recordField(body: Body, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (value === '') return {};
  if (!isRecord(value)) throw invalid(key, 'Expected a hash of key-value pairs.');
  return value;
}
