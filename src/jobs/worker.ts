import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/config.js';
import type { CoreContext } from '../core/context.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { PermanentJobError, type Job, type JobHandlers, type JobInfo } from './job-handler.js';
import { onJobEnqueued } from './job-queue.js';
import { claimJobs, completeJob, extendLease, markJobDead, rescheduleJob, type JobRow, type Lease } from './jobs.repository.js';

/** Counters for metrics (src/observability attaches prom-client here). */
export interface WorkerHooks {
  /** The handler resolved and the job was deleted. */
  readonly onCompleted?: (job: JobInfo, durationMs: number) => void;
  /** The handler threw and the job will run again later. */
  readonly onFailed?: (job: JobInfo, error: string) => void;
  /** The job will not run again: attempts used up, permanent error or unknown kind. */
  readonly onDead?: (job: JobInfo, error: string) => void;
}

export interface WorkerOptions {
  /** Jobs run at the same time. */
  readonly concurrency: number;
  /** Wait between claims while no job is due. */
  readonly pollMs: number;
  /** How long a claim holds without renewal; running jobs renew it, so only a dead worker's job is taken over. */
  readonly leaseMs: number;
  /** Unique among all workers sharing the database; at most 100 characters. */
  readonly workerId: string;
  readonly backoff: BackoffPolicy;
  readonly hooks?: WorkerHooks;
  /** Jitter source for the backoff, [0, 1); tests pin it. */
  readonly random?: () => number;
}

/** Host, process and a random part: unique even when containers reuse pids. */
export function defaultWorkerId(): string {
  return `${os.hostname().slice(0, 60)}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function workerOptionsFromConfig(config: Config, workerId = defaultWorkerId()): WorkerOptions {
  return {
    concurrency: config.WORKER_CONCURRENCY,
    pollMs: config.WORKER_POLL_MS,
    leaseMs: config.JOB_LEASE_SECONDS * 1000,
    workerId,
    backoff: { baseMs: config.JOB_BACKOFF_BASE_MS, maxMs: config.JOB_BACKOFF_MAX_MS },
  };
}

/** While the database keeps failing, the loop retries less and less often, up to this. */
const MAX_ERROR_DELAY_MS = 30_000;
const MAX_ERROR_LENGTH = 2000;

/**
 * Claims due jobs and runs them with their handler, up to `concurrency` at a time. Any number
 * of workers, in any number of processes, may share one database: a claim is atomic and every
 * outcome is fenced by the lease (see jobs.repository.ts).
 */
export class Worker {
  readonly #inFlight = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wakeLoop: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly handlers: JobHandlers,
    private readonly options: WorkerOptions,
  ) {
    if (options.concurrency < 1) throw new RangeError('worker concurrency must be at least 1');
  }

  start(): void {
    if (this.#loop) throw new Error('worker already started');
    this.#stopping = false;
    this.#unsubscribe = onJobEnqueued(() => this.#wake());
    this.#loop = this.#run();
  }

  /**
   * Stops claiming and waits up to `timeoutMs` for running jobs. Jobs still running then keep
   * their lease and are claimed again once it expires (by any worker).
   */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.#loop) return;
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#wake();
    await this.#loop;
    this.#loop = undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.#inFlight]), timeout]);
    clearTimeout(timer);
  }

  /** Jobs this worker is running now. */
  get running(): number {
    return this.#inFlight.size;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      const free = this.options.concurrency - this.#inFlight.size;
      let pauseMs: number | null = this.options.pollMs;
      if (free === 0) {
        pauseMs = null; // a finishing job wakes the loop
      } else {
        try {
          const { workerId, leaseMs } = this.options;
          const jobs = await claimJobs(this.ctx.db, this.ctx.caps, { workerId, leaseMs, now: this.ctx.clock.now(), limit: free });
          failures = 0;
          for (const row of jobs) this.#launch(row);
          if (jobs.length === free) continue; // more may be due
        } catch (error) {
          failures += 1;
          pauseMs = Math.min(this.options.pollMs * 2 ** failures, MAX_ERROR_DELAY_MS);
          this.ctx.logger.error({ err: error, workerId: this.options.workerId, retryInMs: pauseMs }, 'job worker could not claim jobs');
        }
      }
      if (this.#stopping) break;
      await this.#pause(pauseMs);
    }
  }

  #pause(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? undefined : setTimeout(() => this.#wake(), ms);
      this.#wakeLoop = () => {
        clearTimeout(timer);
        this.#wakeLoop = undefined;
        resolve();
      };
    });
  }

  #wake(): void {
    this.#wakeLoop?.();
  }

  #launch(row: JobRow): void {
    const run: Promise<void> = this.#execute(row)
      // #execute handles every job failure; what remains is a throwing hook, which must not
      // become an unhandled rejection that ends the process.
      .catch((error: unknown) => this.ctx.logger.error({ err: error, jobId: row.id }, 'job worker hook failed'))
      .finally(() => {
        const wasFull = this.#inFlight.size === this.options.concurrency;
        this.#inFlight.delete(run);
        if (wasFull) this.#wake();
      });
    this.#inFlight.add(run);
  }

  async #execute(row: JobRow): Promise<void> {
    const info: JobInfo = { id: row.id, kind: row.kind, businessId: row.business_id, attempt: row.attempts };
    const lease: Lease = { id: row.id, workerId: this.options.workerId, attempt: row.attempts };
    const started = performance.now();
    try {
      // Claiming an expired lease counts an attempt, so a job that keeps crashing its worker
      // (out of memory, say) ends up dead instead of taking workers down forever.
      if (row.attempts > row.max_attempts) {
        throw new PermanentJobError(`gave up after ${row.max_attempts} attempts; the last one never reported back (worker crashed or lease expired)`);
      }
      const handler = Object.hasOwn(this.handlers, row.kind) ? this.handlers[row.kind] : undefined;
      if (!handler) throw new PermanentJobError(`no handler is registered for job kind "${row.kind}"`);
      const job: Job = { ...info, payload: parsePayload(row.payload) };
      await this.#holdingLease(lease, () => handler(job));
    } catch (error) {
      await this.#fail(row, info, lease, error);
      return;
    }
    if (await this.#record(info, () => completeJob(this.ctx.db, lease))) {
      this.options.hooks?.onCompleted?.(info, performance.now() - started);
    }
  }

  async #fail(row: JobRow, info: JobInfo, lease: Lease, error: unknown): Promise<void> {
    const message = describeError(error);
    const now = this.ctx.clock.now();
    if (error instanceof PermanentJobError || row.attempts >= row.max_attempts) {
      if (await this.#record(info, () => markJobDead(this.ctx.db, lease, { error: message, now }))) {
        this.ctx.logger.warn({ job: info, error: message }, 'job is dead');
        this.options.hooks?.onDead?.(info, message);
      }
      return;
    }
    const delay = backoffDelay(row.attempts, this.options.backoff, (this.options.random ?? Math.random)());
    if (await this.#record(info, () => rescheduleJob(this.ctx.db, lease, { runAt: now + delay, error: message, now }))) {
      this.ctx.logger.info({ job: info, error: message, retryInMs: delay }, 'job failed; will retry');
      this.options.hooks?.onFailed?.(info, message);
    }
  }

  /**
   * Runs `work` while renewing the job's lease every third of its length, so a long job (an
   * import, a large send) is never taken over by another worker while it still runs.
   */
  async #holdingLease(lease: Lease, work: () => Promise<void>): Promise<void> {
    const { leaseMs } = this.options;
    const renew = setInterval(() => {
      extendLease(this.ctx.db, lease, this.ctx.clock.now() + leaseMs).then(
        (held) => {
          if (!held) this.ctx.logger.warn({ jobId: lease.id, workerId: lease.workerId }, 'job lease was lost while running');
        },
        (error: unknown) => this.ctx.logger.error({ err: error, jobId: lease.id }, 'could not renew job lease'),
      );
    }, Math.max(Math.floor(leaseMs / 3), 10));
    try {
      await work();
    } finally {
      clearInterval(renew);
    }
  }

  /** Writes an outcome; when that is impossible the job simply runs again after its lease. */
  async #record(job: JobInfo, write: () => Promise<boolean>): Promise<boolean> {
    try {
      if (await write()) return true;
      this.ctx.logger.warn({ job, workerId: this.options.workerId }, 'job lease was taken over; outcome discarded');
    } catch (error) {
      this.ctx.logger.error({ err: error, job }, 'could not record job outcome; it will run again after its lease');
    }
    return false;
  }
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PermanentJobError('job payload is not valid JSON', { cause: error });
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
