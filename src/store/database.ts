import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { capabilitiesOf, type Capabilities } from './capabilities.js';
import type { SqliteProcedureModules } from './sqlite-thread.protocol.js';
import { ThreadedSqliteDialect } from './sqlite-thread.js';
import type { Database } from './tables.js';

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly poolSize?: number;
  /** SQLite file name inside dataDir (tests use their own). */
  readonly sqliteFile?: string;
  /** Procedures the SQLite thread offers (sqlite-thread.protocol.ts); ignored on PostgreSQL. */
  readonly sqliteProcedures?: SqliteProcedureModules;
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

/**
 * How to run a procedure in the thread of a SQLite store opened with `sqliteProcedures`
 * (sqlite-thread.protocol.ts); undefined for PostgreSQL, whose driver is asynchronous anyway.
 */
export function threadProcedures(db: Kysely<Database>): ProcedureRunner | undefined {
  return procedureRunners.get(db);
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export function openStore(options: StoreOptions): Store {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onIdleConnectionError) : openSqlite(options);
}

function openSqlite(options: StoreOptions): Store {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? 'hellohub.sqlite');
  const dialect = new ThreadedSqliteDialect({ file, procedures: options.sqliteProcedures });
  const db = new Kysely<Database>({ dialect });
  procedureRunners.set(db, (procedure, payload) => dialect.call(db, procedure, payload));
  return {
    db,
    capabilities: capabilitiesOf('sqlite'),
    location: file,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, poolSize: number, onIdleConnectionError: (error: Error) => void = () => undefined): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // int8 ids and epoch milliseconds fit a JS number; numeric stays a string (money).
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 ? (value: string) => Number(value) : oid === PG_NUMERIC ? (value: string) => value : pg.types.getTypeParser(oid, format),
    },
  });
  pool.on('error', onIdleConnectionError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = new URL(url);
  location.password = location.password ? '***' : '';
  return {
    db,
    capabilities: capabilitiesOf('postgres'),
    location: location.toString(),
    close: () => db.destroy(),
  };
}
