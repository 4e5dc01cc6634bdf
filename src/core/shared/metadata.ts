import { invalid } from './errors.js';

/** Limits of the `metadata` hash every tracked object may carry, as payment APIs set them. */
export const MAX_METADATA_KEYS = 50;
export const MAX_METADATA_BYTES = 16_384;

/**
 * Validates a metadata hash and returns it as stored (JSON text). Values are kept as given
 * (strings from forms, any JSON from JSON bodies); only size is bounded.
 */
export function metadataText(value: Record<string, unknown> | undefined, parameter = 'metadata'): string | undefined {
  if (value === undefined) return undefined;
  if (Object.keys(value).length > MAX_METADATA_KEYS) throw invalid(parameter, `Metadata holds at most ${MAX_METADATA_KEYS} keys.`);
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES) throw invalid(parameter, `Metadata is at most ${MAX_METADATA_BYTES} bytes of JSON.`);
  return text;
}

/** Stored metadata back as an object (a damaged row reads as `{}`, never as a 500). */
export function parseMetadata(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}
