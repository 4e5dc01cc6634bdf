import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase as SqliteDriverDatabase, type SqliteDialectConfig, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { capabilitiesOf, type Capabilities } from './capabilities.js';
import type { Database } from './tables.js';

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly poolSize?: number;
  /** SQLite file name inside dataDir (tests use their own). */
  readonly sqliteFile?: string;
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

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export function openStore(options: StoreOptions): Store {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onIdleConnectionError) : openSqlite(options);
}

function openSqlite(options: StoreOptions): Store {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? 'hellohub.sqlite');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction that committed survives power loss, not only a process crash;
  // "nothing acknowledged is ever lost" is a promise of the product.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    capabilities: capabilitiesOf('sqlite'),
    location: file,
    close: () => db.destroy(),
  };
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE). With a plain
 * BEGIN, a transaction that reads first and writes later fails at once with "database is
 * locked" when another process committed in between; waiting for the lock at the start is
 * what the busy timeout can do something about.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; compiling SQL is a sizeable share of a short query's
 * time on SQLite. Statements are kept by their text (least recently used go first), which is
 * safe because the driver runs one query at a time on its one connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDriverDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare: (source: string) => {
      let statement = statements.get(source);
      if (statement) statements.delete(source);
      else {
        statement = sqlite.prepare(source);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      }
      statements.set(source, statement);
      return statement;
    },
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
