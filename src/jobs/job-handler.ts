import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

/** What a handler and the worker's hooks learn about a job. */
export interface JobInfo {
  readonly id: number;
  readonly kind: string;
  /** Null for installation-wide work. */
  readonly businessId: number | null;
  /** 1 on the first run; counts runs whose worker crashed too. */
  readonly attempt: number;
}

/**
 * Writes that end a job, run by the worker in the transaction that deletes the job (together
 * with other jobs' completions), so they commit exactly when the job is recorded done and
 * cost no commit of their own. Throwing here counts as a failed run, like a throwing handler.
 */
export type JobFinish = (trx: Transaction<Database>) => Promise<void>;

export interface Job extends JobInfo {
  /** The value given to `enqueue`, after a JSON round trip; validate it before use. */
  readonly payload: unknown;
  /**
   * Set when a worker runs the job: hands it writes to commit with the job's completion (see
   * JobFinish); they are dropped when the handler throws. A handler called directly (tests,
   * the CLI) has none and writes at once; `finishJob` below does either.
   */
  readonly finish?: (write: JobFinish) => void;
  /**
   * Set when a worker runs the job: one object for all the jobs of one claim, which start
   * within moments of each other. Handlers may key a WeakMap on it to share lookups between
   * those jobs (a channel's row for a batch of sends, the messages of those sends) without
   * caching across batches.
   */
  readonly batch?: JobBatch;
}

/** The jobs of one claim, as claimed. */
export interface JobBatch {
  readonly jobs: ReadonlyArray<{ readonly kind: string; readonly businessId: number | null; readonly payload: string }>;
}

/** Commits `write` with the job's completion when a worker runs it, or now, in a transaction of its own. */
export async function finishJob(db: Kysely<Database>, job: Job, write: JobFinish): Promise<void> {
  if (job.finish) job.finish(write);
  else await db.transaction().execute(write);
}

/**
 * Does the work of one job. Resolving deletes the job, with the writes given to
 * `job.finish`; throwing schedules a retry, or marks the job dead when attempts are used up
 * or the error is a PermanentJobError. Handlers may run more than once for one job (a worker
 * can crash after the work but before recording it), so they must be idempotent or record
 * their own progress.
 */
export type JobHandler = (job: Job) => Promise<void>;

/** Handlers by job kind. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** Thrown by a handler when retrying cannot help (invalid payload, rejected recipient). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
