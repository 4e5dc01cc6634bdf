/**
 * A Kysely dialect for SQLite whose one connection lives in a worker thread
 * (sqlite-thread.worker.ts). better-sqlite3 answers synchronously: on the main thread each
 * statement, and each commit's fsync (synchronous = FULL), would stall every request in
 * flight. Behind a thread they cost the main thread one message each way, and the server
 * parses and answers other requests while SQLite works, which is what lets group commit
 * (src/core/shared/group-commit.ts) fill its batches.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
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
import { isJsonSafe, type SqliteEnvelope, type SqliteReply, type SqliteRequest, type SqliteThreadOptions } from './sqlite-thread.protocol.js';
import type { Database } from './tables.js';
import { startWorker, ThreadError } from './worker-threads.js';

type Settle = { resolve: (reply: SqliteReply) => void; reject: (error: Error) => void };

/** The worker and the replies it owes. Idle, it does not keep the process alive. */
class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Settle>();
  readonly #outbox: SqliteRequest[] = [];
  #nextId = 1;
  #exited: Error | undefined;

  constructor(options: SqliteThreadOptions) {
    this.#worker = startWorker(import.meta.url, 'sqlite-thread.worker', options);
    this.#worker.on('message', (message: SqliteEnvelope<SqliteReply>) => this.#receive(message));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the SQLite thread exited (code ${code})`)));
  }

  /** Resolves once the database is open (pragmas set); rejects with the reason it could not be. Call once, at once. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: (reply) => ('error' in reply ? reject(new ThreadError(reply.error)) : resolve()), reject });
    });
  }

  /** Queries sent before are answered first: the thread takes messages in order. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = once(this.#worker, 'exit');
    this.#worker.ref();
    this.#post();
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
      const made = request(id);
      this.#outbox.push(made);
      // A procedure call leaves at once (with the statements before it): it is a whole unit of
      // work, often the next batch of a group commit, and the thread should not wait for it
      // while this one answers the last batch's requests. Statements leave after the promise
      // jobs of this moment ran, so those made together (sends a worker started at once, say)
      // leave in one message.
      if (made.kind === 'call') this.#post();
      else if (this.#outbox.length === 1) process.nextTick(() => this.#post());
    });
  }

  #post(): void {
    const requests = this.#outbox.splice(0);
    const message: SqliteEnvelope<SqliteRequest> | undefined = requests.length > 1 ? { batch: requests } : requests[0];
    if (!message) return;
    try {
      this.#worker.postMessage(message);
    } catch {
      // A value that cannot cross threads (a function passed by mistake) fails its own
      // request only: the others go one by one.
      for (const request of requests) {
        try {
          this.#worker.postMessage(request);
        } catch (error) {
          this.#reject(request.id, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  }

  #reject(id: number, error: Error): void {
    const waiting = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    waiting?.reject(error);
  }

  #receive(message: SqliteEnvelope<SqliteReply>): void {
    if ('batch' in message) for (const reply of message.batch) this.#settle(reply);
    else this.#settle(message);
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

/**
 * Who may post statements now. Statements outside a transaction are posted as they come,
 * without waiting for the answers to those before them: the thread runs them in order. Only a
 * transaction needs the connection alone, from its begin to its end; statements and calls of
 * anyone else wait meanwhile, so nothing slips into it.
 */
class TransactionGate {
  #open: Promise<void> | undefined;
  #close: (() => void) | undefined;

  /**
   * Settles when the open transaction ends; undefined when none is open. Callers loop on it
   * and act in the same turn as they find it undefined: one more await in between, and a
   * transaction could open before they post.
   */
  get open(): Promise<void> | undefined {
    return this.#open;
  }

  /** Waits for the open transaction to end, then opens one. */
  async enter(): Promise<void> {
    while (this.#open) await this.#open;
    this.#open = new Promise((resolve) => (this.#close = resolve));
  }

  leave(): void {
    const close = this.#close;
    this.#open = undefined;
    this.#close = undefined;
    close?.();
  }
}

/** A handle Kysely acquires for one query or one transaction; all share the thread. */
class ThreadConnection implements DatabaseConnection {
  /** True from this handle's BEGIN to its COMMIT or ROLLBACK. */
  inTransaction = false;

  constructor(
    private readonly thread: SqliteThread,
    private readonly gate: TransactionGate,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.inTransaction) while (this.gate.open) await this.gate.open;
    const reply = await this.thread.query(compiledQuery.sql, compiledQuery.parameters);
    if ('error' in reply) throw new ThreadError(reply.error);
    if (!('rows' in reply)) throw new Error('the SQLite thread answered a query with no result');
    const { rows, changes, lastInsertRowid } = reply;
    return {
      rows: (typeof rows === 'string' ? JSON.parse(rows) : rows) as R[],
      ...(changes === undefined ? {} : { numAffectedRows: BigInt(changes) }),
      ...(lastInsertRowid === undefined ? {} : { insertId: BigInt(lastInsertRowid) }),
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) yield { rows: rows.slice(start, start + chunkSize) };
  }
}

/** SQLite has one connection, in the thread: statements share it, a transaction holds it from begin to end. */
class ThreadedSqliteDriver implements Driver {
  #thread: SqliteThread | undefined;
  readonly #gate = new TransactionGate();

  constructor(private readonly options: SqliteThreadOptions) {}

  get open(): boolean {
    return this.#thread !== undefined;
  }

  async init(): Promise<void> {
    const thread = new SqliteThread(this.options);
    await thread.ready();
    this.#thread = thread;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#thread) throw new Error('the SQLite store is not open');
    return new ThreadConnection(this.#thread, this.#gate);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A transaction whose end never reached the thread (Kysely gave the handle back) frees the gate.
    if (connection instanceof ThreadConnection && connection.inTransaction) this.#end(connection);
  }

  /**
   * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE). With a plain
   * BEGIN, a transaction that reads first and writes later fails at once with "database is
   * locked" when another process committed in between; waiting for the lock at the start is
   * what the busy timeout can do something about.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof ThreadConnection)) throw new Error('not a connection of this driver');
    await this.#gate.enter();
    connection.inTransaction = true;
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (error) {
      this.#end(connection);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    // Only once it succeeded: a failed COMMIT leaves the transaction open, and Kysely rolls it back next.
    if (connection instanceof ThreadConnection) this.#end(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      if (connection instanceof ThreadConnection) this.#end(connection);
    }
  }

  async destroy(): Promise<void> {
    await this.#thread?.close();
  }

  /**
   * Runs a procedure in the thread, posted like any statement outside a transaction: calls
   * queue up in the thread, which goes from one to the next without waiting for this thread
   * to hear of the last.
   */
  async call(procedure: string, payload: unknown): Promise<unknown> {
    while (this.#gate.open) await this.#gate.open;
    if (!this.#thread) throw new Error('the SQLite store is not open');
    const reply = await this.#thread.call(procedure, payload);
    if ('error' in reply) throw new ThreadError(reply.error);
    if (!('result' in reply)) throw new Error('the SQLite thread answered a call with no result');
    return reply.result;
  }

  #end(connection: ThreadConnection): void {
    if (!connection.inTransaction) return;
    connection.inTransaction = false;
    this.#gate.leave();
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
   * Runs a procedure (procedures.ts) in the thread. Kysely starts the driver
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
