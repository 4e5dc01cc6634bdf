/**
 * The thread that owns the SQLite connection (see sqlite-thread.ts). better-sqlite3 is
 * synchronous: run on the main thread, every statement, and every commit's fsync, would stop
 * the server from reading and answering requests meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type SqliteStatement } from 'kysely';
import { loadProcedures, type Procedure } from './procedures.js';
import { isJsonSafe } from './sqlite-thread.protocol.js';
import type { SqliteEnvelope, SqliteReply, SqliteRequest, SqliteThreadOptions } from './sqlite-thread.protocol.js';
import type { Database } from './tables.js';
import { describeError } from './worker-threads.js';

const port = parentPort;
if (!port) throw new Error('sqlite-thread.worker runs only as a worker thread');

const STATEMENT_CACHE_SIZE = 500;

const options = workerData as SqliteThreadOptions;
let sqlite: SqliteDatabase.Database;
try {
  sqlite = new SqliteDatabase(options.file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction that committed survives power loss, not only a process crash;
  // "nothing acknowledged is ever lost" is a promise of the product.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // A checkpoint every 10,000 WAL pages (about 40 MB) instead of SQLite's 1,000. Under event
  // ingestion a commit writes tens of pages, most of them the same hot index pages again: a
  // rarer checkpoint writes each of those once, and fewer commits wait for one (their share of
  // commit time fell from about a third to a fifth; docs/performance.md).
  sqlite.pragma('wal_autocheckpoint = 10000');
  port.postMessage({ id: 0, ready: true } satisfies SqliteReply);
} catch (error) {
  port.postMessage({ id: 0, error: describeError(error) } satisfies SqliteReply);
  port.close();
  throw error;
}

/**
 * Compiling SQL is a sizeable share of a short query's time: statements are kept by their
 * text, least recently used going first. Safe because this thread runs one statement at a time.
 */
const statements = new Map<string, SqliteDatabase.Statement>();

function prepare(source: string): SqliteDatabase.Statement {
  let statement = statements.get(source);
  if (statement) statements.delete(source);
  else {
    statement = sqlite.prepare(source);
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
  }
  statements.set(source, statement);
  return statement;
}

function isJsonSafeRow(row: unknown): boolean {
  if (typeof row !== 'object' || row === null) return false;
  for (const value of Object.values(row)) if (!isJsonSafe(value)) return false;
  return true;
}

/** Structured cloning turns a Buffer into a plain Uint8Array, which better-sqlite3 does not bind. */
function bindable(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

/**
 * A statement that only reads: it returns rows and writes nothing (SQLite counts BEGIN and
 * COMMIT as read-only, but they return no rows). False when it cannot even be prepared.
 */
function isRead(source: string): boolean {
  try {
    const statement = prepare(source);
    return statement.reader && statement.readonly;
  } catch {
    return false;
  }
}

function query(request: Extract<SqliteRequest, { kind: 'query' }>): SqliteReply {
  const statement = prepare(request.sql);
  const parameters = typeof request.parameters === 'string' ? (JSON.parse(request.parameters) as unknown[]) : request.parameters.map(bindable);
  if (statement.reader) {
    const rows = statement.all(parameters) as unknown[];
    return { id: request.id, rows: rows.every(isJsonSafeRow) ? JSON.stringify(rows) : rows };
  }
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { id: request.id, rows: [], changes, lastInsertRowid: Number(lastInsertRowid) };
}

/** Transactions take the write lock when they begin: see ThreadedSqliteDriver.beginTransaction. */
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

let procedures: Promise<Map<string, Procedure>> | undefined;

/** Procedures see the connection through Kysely, sharing the statement cache. */
function procedureDatabase(): Kysely<Database> {
  const database = { close: () => undefined, prepare: (source: string): SqliteStatement => prepare(source) };
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
}

async function call(request: Extract<SqliteRequest, { kind: 'call' }>): Promise<SqliteReply> {
  procedures ??= loadProcedures(procedureDatabase(), 'sqlite', options.procedures);
  const procedure = (await procedures).get(request.procedure);
  if (!procedure) throw new Error(`no SQLite procedure is named "${request.procedure}"`);
  return { id: request.id, result: await procedure(request.payload) };
}

/**
 * One request at a time, in the order sent: a procedure awaits, and no statement of the main
 * thread may slip into its transaction meanwhile. Replies wait to leave together until the
 * queue is empty or a procedure is about to run.
 */
const queue: SqliteRequest[] = [];
let busy = false;
let oldestReplyAt = 0;
const MAX_REPLY_WAIT_MS = 0.5;

function send(replies: SqliteReply[]): void {
  const message: SqliteEnvelope<SqliteReply> | undefined = replies.length > 1 ? { batch: replies } : replies[0];
  if (message) port?.postMessage(message);
}

async function drain(): Promise<void> {
  busy = true;
  const replies: SqliteReply[] = [];
  for (let request = queue.shift(); request; request = queue.shift()) {
    if (request.kind === 'close') {
      send(replies);
      sqlite.close();
      port?.close();
      return;
    }
    if (request.kind === 'query') {
      // Answers already made leave before a write (a commit's fsync, a BEGIN waiting for
      // another process's lock) and once they have waited a while.
      if (replies.length > 0 && (!isRead(request.sql) || performance.now() - oldestReplyAt > MAX_REPLY_WAIT_MS)) send(replies.splice(0));
      try {
        replies.push(query(request));
      } catch (error) {
        replies.push({ id: request.id, error: describeError(error) });
      }
      if (replies.length === 1) oldestReplyAt = performance.now();
      continue;
    }
    send(replies.splice(0));
    try {
      replies.push(await call(request));
    } catch (error) {
      replies.push({ id: request.id, error: describeError(error) });
    }
  }
  send(replies);
  busy = false;
}

port.on('message', (message: SqliteEnvelope<SqliteRequest>) => {
  if ('batch' in message) queue.push(...message.batch);
  else queue.push(message);
  if (!busy) void drain();
});
