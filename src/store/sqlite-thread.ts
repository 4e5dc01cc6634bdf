/**
 * A Kysely dialect for SQLite whose one connection lives in a worker thread
 * (sqlite-thread.worker.ts). better-sqlite3 answers synchronously: on the main thread each
 * statement, and each commit's fsync (synchronous = FULL), would stall every request in
 * flight. Behind a thread they cost the main thread one message each way, and the server
 * parses and answers other requests while SQLite works, which is what lets group commit
 * (src/core/shared/group-commit.ts) fill its batches.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { SqliteReply, SqliteRequest, SqliteThreadOptions } from './sqlite-thread.protocol.js';
import type { Database } from './tables.js';

/** An error raised in the SQLite thread, with its name and code (SQLITE_CONSTRAINT_UNIQUE, …) kept. */
export class SqliteThreadError extends Error {
  readonly code: string | undefined;
  constructor(name: string, message: string, code: string | undefined) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

type Settle = { resolve: (reply: SqliteReply) => void; reject: (error: Error) => void };

/** The worker and the replies it owes. Idle, it does not keep the process alive. */
class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Settle>();
  #nextId = 1;
  #exited: Error | undefined;

  constructor(options: SqliteThreadOptions) {
    this.#worker = import.meta.url.endsWith('.ts')
      ? // Under tsx (tests, development) the worker is TypeScript too and registers tsx's loader
        // itself: Node 20 does not apply `--import` hooks to a worker's entry module.
        new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./sqlite-thread.worker.ts', import.meta.url).href)}); })`, { eval: true, workerData: options })
      : new Worker(new URL('./sqlite-thread.worker.js', import.meta.url), { workerData: options });
    this.#worker.on('message', (reply: SqliteReply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the SQLite thread exited (code ${code})`)));
  }

  /** Resolves once the database is open (pragmas set); rejects with the reason it could not be. Call once, at once. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: (reply) => ('error' in reply ? reject(threadError(reply.error)) : resolve()), reject });
    });
  }

  /** Queries sent before are answered first: the thread takes messages in order. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = once(this.#worker, 'exit');
    this.#worker.ref();
    this.#worker.postMessage({ id: 0, kind: 'close' } satisfies SqliteRequest);
    await exited;
  }

  query(sql: string, parameters: readonly unknown[]): Promise<SqliteReply> {
    return this.#send((id) => ({ id, kind: 'query', sql, parameters: parameters.every(isJsonSafe) ? JSON.stringify(parameters) : parameters }));
  }

  call(procedure: string, payload: unknown): Promise<SqliteReply> {
    return this.#send((id) => ({ id, kind: 'call', procedure, payload }));
  }

  #send(request: (id: number) => SqliteRequest): Promise<SqliteReply> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(request(id));
    });
  }

  #settle(reply: SqliteReply): void {
    const waiting = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    waiting?.resolve(reply);
  }

  #fail(error: Error): void {
    this.#exited ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

function isJsonSafe(value: unknown): boolean {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function threadError(error: { name: string; message: string; code?: string }): SqliteThreadError {
  return new SqliteThreadError(error.name, error.message, error.code);
}

class ThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: SqliteThread) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const reply = await this.thread.query(compiledQuery.sql, compiledQuery.parameters);
    if ('error' in reply) throw threadError(reply.error);
    if (!('rows' in reply)) throw new Error('the SQLite thread answered a query with no result');
    const { rows, changes, lastInsertRowid } = reply;
    return {
      rows: rows as R[],
      ...(changes === undefined ? {} : { numAffectedRows: BigInt(changes) }),
      ...(lastInsertRowid === undefined ? {} : { insertId: BigInt(lastInsertRowid) }),
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) yield { rows: rows.slice(start, start + chunkSize) };
  }
}

/** SQLite has one connection: callers take turns, a transaction holding it from begin to end. */
class ThreadedSqliteDriver implements Driver {
  #thread: SqliteThread | undefined;
  #connection: ThreadConnection | undefined;
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  constructor(private readonly options: SqliteThreadOptions) {}

  get open(): boolean {
    return this.#connection !== undefined;
  }

  async init(): Promise<void> {
    const thread = new SqliteThread(this.options);
    this.#thread = thread;
    await thread.ready();
    this.#connection = new ThreadConnection(thread);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
    if (!this.#connection) throw new Error('the SQLite store is not open');
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }

  /**
   * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE). With a plain
   * BEGIN, a transaction that reads first and writes later fails at once with "database is
   * locked" when another process committed in between; waiting for the lock at the start is
   * what the busy timeout can do something about.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    await this.#thread?.close();
  }

  /**
   * Runs a procedure in the thread. The connection is held only while the call is posted: no
   * transaction of this thread is open then, and the thread takes messages in order, so what
   * is posted next waits there for the procedure to end. Calls thus queue up in the thread,
   * which goes from one to the next without waiting for this thread to answer the last.
   */
  async call(procedure: string, payload: unknown): Promise<unknown> {
    let pending: Promise<SqliteReply>;
    await this.acquireConnection();
    try {
      if (!this.#thread) throw new Error('the SQLite store is not open');
      pending = this.#thread.call(procedure, payload);
    } finally {
      await this.releaseConnection();
    }
    const reply = await pending;
    if ('error' in reply) throw threadError(reply.error);
    if (!('result' in reply)) throw new Error('the SQLite thread answered a call with no result');
    return reply.result;
  }
}

export class ThreadedSqliteDialect implements Dialect {
  readonly #driver: ThreadedSqliteDriver;

  constructor(options: SqliteThreadOptions) {
    this.#driver = new ThreadedSqliteDriver(options);
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /**
   * Runs a procedure (sqlite-thread.protocol.ts) in the thread. Kysely starts the driver
   * lazily: `db` is the instance made with this dialect, opened here if it is not yet.
   */
  async call(db: Kysely<Database>, procedure: string, payload: unknown): Promise<unknown> {
    if (!this.#driver.open) await db.connection().execute(async () => undefined);
    return this.#driver.call(procedure, payload);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
