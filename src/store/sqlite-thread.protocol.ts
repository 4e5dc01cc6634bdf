/** Messages between the main thread and the SQLite thread (sqlite-thread.ts, sqlite-thread.worker.ts). */
import type { ProcedureModules } from './procedures.js';
import type { ThreadErrorData } from './worker-threads.js';

export interface SqliteThreadOptions {
  readonly file: string;
  readonly procedures?: ProcedureModules | undefined;
}

/**
 * Parameters and rows travel as JSON text when they are all strings, finite numbers and nulls
 * (nearly always): copying one string, and parsing it, costs far less than cloning and
 * rebuilding many small objects.
 */
export type SqliteRequest =
  | { readonly id: number; readonly kind: 'query'; readonly sql: string; readonly parameters: readonly unknown[] | string }
  | { readonly id: number; readonly kind: 'call'; readonly procedure: string; readonly payload: unknown }
  | { readonly id: number; readonly kind: 'close' };

/**
 * What crosses the port: one request or reply, or several sent in one message (one message
 * each way costs the sender and the receiver more than the copying of a few more).
 */
export type SqliteEnvelope<T> = T | { readonly batch: readonly T[] };

export type SqliteReply =
  | { readonly id: number; readonly ready: true }
  /** Rows as JSON text when every value is a string, a finite number or null (see below); cloned otherwise. */
  | { readonly id: number; readonly rows: unknown[] | string; readonly changes?: number; readonly lastInsertRowid?: number }
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: ThreadErrorData };

/** What JSON carries unchanged: the values that may travel as JSON text. */
export function isJsonSafe(value: unknown): boolean {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
