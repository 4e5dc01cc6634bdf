/**
 * Procedures: use cases of many statements on a hot path that run whole in a store's thread
 * (SQLite's connection thread, PostgreSQL's procedure thread), on that thread's connection.
 * The caller then pays one message each way instead of a round trip per statement through its
 * own busy event loop (see docs/architecture.md). A procedure module exports
 * `createProcedures`; a thread imports its modules at its first call. Payloads and results
 * cross threads by structured cloning, so they are data: errors travel as values.
 */
import type { Kysely } from 'kysely';
import { capabilitiesOf, type Capabilities, type DialectName } from './capabilities.js';
import type { Database } from './tables.js';

export type Procedure = (payload: unknown) => Promise<unknown>;
export type CreateProcedures = (db: Kysely<Database>, caps: Capabilities, context: unknown) => Readonly<Record<string, Procedure>>;

export interface ProcedureModules {
  /** Module URLs, each exporting `createProcedures`. */
  readonly modules: readonly string[];
  /** Handed to every module (structured-clonable data: the configuration, say). */
  readonly context: unknown;
}

/** The procedures of `modules` by name, over `db`. */
export async function loadProcedures(db: Kysely<Database>, dialect: DialectName, modules: ProcedureModules | undefined): Promise<Map<string, Procedure>> {
  const found = new Map<string, Procedure>();
  for (const url of modules?.modules ?? []) {
    const module = (await import(url)) as { createProcedures?: CreateProcedures };
    if (typeof module.createProcedures !== 'function') throw new Error(`${url} exports no createProcedures`);
    for (const [name, procedure] of Object.entries(module.createProcedures(db, capabilitiesOf(dialect), modules?.context))) found.set(name, procedure);
  }
  return found;
}
