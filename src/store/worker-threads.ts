/** What the store's worker threads (SQLite's connection, PostgreSQL's procedures) share. */
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits beside `from`, an
 * `import.meta.url`: its `.js` in the build, its `.ts` under tsx (tests, development), where
 * the worker registers tsx's loader itself, because Node 20 does not apply `--import` hooks to
 * a worker's entry module.
 */
export function startWorker(from: string, name: string, workerData: unknown): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  const entry = JSON.stringify(new URL(`./${name}.ts`, from).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`, { eval: true, workerData });
}

/** An error as it crosses threads: its name, message and driver code (SQLITE_CONSTRAINT_UNIQUE, 23505, …). */
export interface ThreadErrorData {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export function describeError(error: unknown): ThreadErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
}

/** An error raised in a store's thread, with its name and code kept (what capabilities.isUniqueViolation reads). */
export class ThreadError extends Error {
  readonly code: string | undefined;
  constructor({ name, message, code }: ThreadErrorData) {
    super(message);
    this.name = name;
    this.code = code;
  }
}
