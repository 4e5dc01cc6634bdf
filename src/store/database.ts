import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { capabilitiesOf, type Capabilities } from './capabilities.js';
import { postgresPool } from './postgres-pool.js';
import { PostgresProcedureThread } from './postgres-thread.js';
import type { ProcedureModules } from './procedures.js';
import { ThreadedSqliteDialect } from './sqlite-thread.js';
import type { Database } from './tables.js';

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly poolSize?: number;
  /** SQLite file name inside dataDir (tests use their own). */
  readonly sqliteFile?: string;
  /**
   * Procedures (procedures.ts) the store runs in a thread: SQLite's connection thread, or on
   * PostgreSQL a thread with a pool of its own (PROCEDURE_POOL_SIZE more connections).
   */
  readonly procedures?: ProcedureModules;
  /**
   * Told when PostgreSQL drops an idle pooled connection (a server restart, a failover): the
   * pool replaces it, so this is news, not a failure. Without a listener it would end the process.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly capabilities: Capabilities;
  /** Where the data lives, for logs (credentials removed). */
  readonly location: string;
  close(): Promise<void>;
}

export type ProcedureRunner = (procedure: string, payload: unknown) => Promise<unknown>;
const procedureRunners = new WeakMap<Kysely<Database>, ProcedureRunner>();

/** How to run a procedure in the thread of a store opened with `procedures`; undefined without them. */
export function threadProcedures(db: Kysely<Database>): ProcedureRunner | undefined {
  return procedureRunners.get(db);
}

/**
 * Connections of the PostgreSQL procedure thread's pool. One batch of events is written at a
 * time (event-batches.ts); the second connection lets a failed batch's events, written again
 * one by one, go two at a time.
 */
export const PROCEDURE_POOL_SIZE = 2;

export function openStore(options: StoreOptions): Store {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options);
}

function openSqlite(options: StoreOptions): Store {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? 'hellohub.sqlite');
  const dialect = new ThreadedSqliteDialect({ file, procedures: options.procedures });
  const db = new Kysely<Database>({ dialect });
  procedureRunners.set(db, (procedure, payload) => dialect.call(db, procedure, payload));
  return {
    db,
    capabilities: capabilitiesOf('sqlite'),
    location: file,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, options: StoreOptions): Store {
  const onIdleConnectionError = options.onIdleConnectionError ?? (() => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(url, options.poolSize ?? 10, onIdleConnectionError) }) });
  const thread = options.procedures && new PostgresProcedureThread({ url, poolSize: PROCEDURE_POOL_SIZE, procedures: options.procedures }, onIdleConnectionError);
  if (thread) procedureRunners.set(db, (procedure, payload) => thread.call(procedure, payload));
  const location = new URL(url);
  location.password = location.password ? '***' : '';
  return {
    db,
    capabilities: capabilitiesOf('postgres'),
    location: location.toString(),
    close: async () => {
      try {
        await thread?.close();
      } finally {
        await db.destroy();
      }
    },
  };
}
