/**
 * The thread that owns the SQLite connection (see sqlite-thread.ts). better-sqlite3 is
 * synchronous: run on the main thread, every statement, and every commit's fsync, would stop
 * the server from reading and answering requests meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { SqliteReply, SqliteRequest, SqliteThreadOptions } from './sqlite-thread.protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-thread.worker runs only as a worker thread');

const STATEMENT_CACHE_SIZE = 500;

const { file } = workerData as SqliteThreadOptions;
let sqlite: SqliteDatabase.Database;
try {
  sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction that committed survives power loss, not only a process crash;
  // "nothing acknowledged is ever lost" is a promise of the product.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  port.postMessage({ id: 0, ready: true } satisfies SqliteReply);
} catch (error) {
  port.postMessage({ id: 0, error: describe(error) } satisfies SqliteReply);
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

/** Structured cloning turns a Buffer into a plain Uint8Array, which better-sqlite3 does not bind. */
function bindable(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

function describe(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
}

port.on('message', (request: SqliteRequest) => {
  if (request.close) {
    sqlite.close();
    port.close();
    return;
  }
  try {
    const statement = prepare(request.sql);
    const parameters = typeof request.parameters === 'string' ? (JSON.parse(request.parameters) as unknown[]) : request.parameters.map(bindable);
    if (statement.reader) {
      port.postMessage({ id: request.id, rows: statement.all(parameters) as unknown[] } satisfies SqliteReply);
    } else {
      const { changes, lastInsertRowid } = statement.run(parameters);
      port.postMessage({ id: request.id, rows: [], changes, lastInsertRowid: Number(lastInsertRowid) } satisfies SqliteReply);
    }
  } catch (error) {
    port.postMessage({ id: request.id, error: describe(error) } satisfies SqliteReply);
  }
});
