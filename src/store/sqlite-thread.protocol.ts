/** Messages between the main thread and the SQLite thread (sqlite-thread.ts, sqlite-thread.worker.ts). */

export interface SqliteThreadOptions {
  readonly file: string;
}

/**
 * Parameters travel as JSON text when they are all strings, finite numbers and nulls (nearly
 * always): copying one string costs the sending thread far less than cloning a large array.
 */
export type SqliteRequest =
  | { readonly id: number; readonly close?: false; readonly sql: string; readonly parameters: readonly unknown[] | string }
  | { readonly id: number; readonly close: true };

export type SqliteReply =
  | { readonly id: number; readonly ready: true }
  | { readonly id: number; readonly rows: unknown[]; readonly changes?: number; readonly lastInsertRowid?: number }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } };
