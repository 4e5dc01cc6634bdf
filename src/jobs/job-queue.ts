import type { CoreContext } from '../core/context.js';
import { insertJob, type Db } from './jobs.repository.js';

const MAX_KIND_LENGTH = 100;

export interface NewJob {
  /** Selects the handler; at most 100 characters. */
  readonly kind: string;
  /** Any JSON-serialisable value; the handler receives it after a JSON round trip. */
  readonly payload: unknown;
  readonly businessId: number | null;
  /** Epoch milliseconds before which the job does not run; default now. */
  readonly runAt?: number;
  /** Default JOB_MAX_ATTEMPTS. */
  readonly maxAttempts?: number;
}

/**
 * Writes a job through `db`. Pass the caller's transaction: the job then exists exactly when
 * the rows that need the work do (transactional outbox), so a crash never loses or invents it.
 * Returns the job id.
 */
export async function enqueue(db: Db, job: NewJob, ctx: Pick<CoreContext, 'clock' | 'config'>): Promise<number> {
  if (job.kind.length === 0 || job.kind.length > MAX_KIND_LENGTH) {
    throw new RangeError(`job kind must be 1..${MAX_KIND_LENGTH} characters, got "${job.kind}"`);
  }
  const maxAttempts = job.maxAttempts ?? ctx.config.JOB_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  // JSON.stringify returns undefined for undefined and functions; refuse them here rather
  // than fail later in the worker, where nobody is waiting for the error.
  const payload: string | undefined = JSON.stringify(job.payload);
  if (payload === undefined) throw new TypeError(`payload of job kind "${job.kind}" is not JSON-serialisable`);
  const now = ctx.clock.now();
  const id = await insertJob(db, {
    business_id: job.businessId,
    kind: job.kind,
    payload,
    max_attempts: maxAttempts,
    run_at: job.runAt ?? now,
    created_at: now,
    updated_at: now,
  });
  signalEnqueued();
  return id;
}

const listeners = new Set<() => void>();

/**
 * Calls `listener` shortly after any enqueue in this process, so an idle worker claims at once
 * instead of at its next poll. Only a latency shortcut: the wake can come before the caller's
 * transaction commits (the claim then finds nothing and the poll picks the job up), and jobs
 * enqueued by other processes are only found by polling. Returns the unsubscribe function.
 */
export function onJobEnqueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let signalPending = false;

function signalEnqueued(): void {
  if (signalPending || listeners.size === 0) return;
  signalPending = true;
  // Deferred to a later turn of the event loop, by when a SQLite transaction (synchronous
  // driver) has usually committed; one wake covers a burst of enqueues.
  setImmediate(() => {
    signalPending = false;
    for (const listener of listeners) listener();
  });
}
