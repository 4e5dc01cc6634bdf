/**
 * A worker thread that runs procedures (procedures.ts) on PostgreSQL, over a small pool of
 * its own. node-postgres is asynchronous, but each statement's answer waits its turn on the
 * event loop that reads it: on the server's main thread, busy parsing and answering requests,
 * a batch of events made of several statements took ten times longer than PostgreSQL spent on
 * it, and one batch at a time is what group commit writes (docs/performance.md). In a thread
 * of its own the batch's statements follow each other at once, and their protocol work leaves
 * the main thread.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { PostgresThreadOptions, PostgresThreadReply, PostgresThreadRequest } from './postgres-thread.protocol.js';
import { startWorker, ThreadError } from './worker-threads.js';

type Settle = { resolve: (result: unknown) => void; reject: (error: Error) => void };

export class PostgresProcedureThread {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Settle>();
  #nextId = 1;
  #closed = false;

  constructor(
    private readonly options: PostgresThreadOptions,
    private readonly onIdleConnectionError: (error: Error) => void,
  ) {}

  /** Runs `procedure` in the thread, started at the first call (and again after it died). */
  call(procedure: string, payload: unknown): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the PostgreSQL store is closed'));
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind: 'call', procedure, payload } satisfies PostgresThreadRequest);
    });
  }

  /** Answers the calls already made, then ends the thread's pool. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.ref();
    worker.postMessage({ id: 0, kind: 'close' } satisfies PostgresThreadRequest);
    await exited;
  }

  #start(): Worker {
    const worker = startWorker(import.meta.url, 'postgres-thread.worker', this.options);
    worker.on('message', (reply: PostgresThreadReply) => this.#receive(reply));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`the PostgreSQL procedure thread exited (code ${code})`)));
    // Idle, it does not keep the process alive.
    worker.unref();
    return worker;
  }

  #receive(reply: PostgresThreadReply): void {
    if ('idleConnectionError' in reply) return this.onIdleConnectionError(new ThreadError(reply.idleConnectionError));
    const waiting = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if ('error' in reply) waiting?.reject(new ThreadError(reply.error));
    else waiting?.resolve(reply.result);
  }

  #fail(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
