import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/config.js';
import type { CoreContext } from '../core/context.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { PermanentJobError, type Job, type JobBatch, type JobFinish, type JobHandlers, type JobInfo } from './job-handler.js';
import { CompletionBatch } from './completions.js';
import { onJobEnqueued } from './job-queue.js';
import { claimJobs, extendLease, markJobDead, releaseJobs, rescheduleJob, type JobRow, type Lease } from './jobs.repository.js';

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
  /**
   * Jobs claimed ahead of free slots (default: `concurrency`), so a busy worker claims in
   * batches instead of one job each time one finishes. 0 claims only for free slots.
   */
  readonly prefetch?: number;
  /** How long a done job waits to be deleted together with others (default 20 ms; its slot is free meanwhile). */
  readonly completionDelayMs?: number;
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
const DEFAULT_COMPLETION_DELAY_MS = 20;
/** Most done jobs deleted by one statement. */
const MAX_COMPLETION_BATCH = 500;

/** A claimed job not started yet, when it was claimed (its lease runs from then) and with which others. */
interface ReadyJob {
  readonly row: JobRow;
  readonly claimedAt: number;
  readonly batch: JobBatch;
}

/**
 * Claims due jobs and runs them with their handler, up to `concurrency` at a time. Any number
 * of workers, in any number of processes, may share one database: a claim is atomic and every
 * outcome is fenced by the lease (see jobs.repository.ts).
 *
 * Under load the worker holds up to `prefetch` claimed jobs beyond those running and claims
 * again, in one batch, when half of them have started; done jobs are deleted in batches
 * (completions.ts). A claimed-ahead job that waited long renews its lease before it starts,
 * and a stopping worker gives the ones it never started back to the queue.
 */
export class Worker {
  readonly #inFlight = new Set<Promise<void>>();
  /** Completions waiting for their batched delete (and the hooks after it). */
  readonly #recording = new Set<Promise<void>>();
  readonly #ready: ReadyJob[] = [];
  readonly #completions: CompletionBatch;
  readonly #prefetch: number;
  #loop: Promise<void> | undefined;
  #stopping = false;
  /** The last claim filled its limit, or a job was enqueued since: a claim may find more. */
  #moreDue = true;
  #wakeLoop: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly handlers: JobHandlers,
    private readonly options: WorkerOptions,
  ) {
    if (options.concurrency < 1) throw new RangeError('worker concurrency must be at least 1');
    this.#prefetch = Math.max(0, Math.floor(options.prefetch ?? options.concurrency));
    this.#completions = new CompletionBatch(ctx.db, options.completionDelayMs ?? DEFAULT_COMPLETION_DELAY_MS, MAX_COMPLETION_BATCH);
  }

  start(): void {
    if (this.#loop) throw new Error('worker already started');
    this.#stopping = false;
    this.#moreDue = true;
    this.#unsubscribe = onJobEnqueued(() => {
      this.#moreDue = true;
      this.#wake();
    });
    this.#loop = this.#run();
  }

  /**
   * Stops claiming, gives claimed jobs that never started back to the queue, and waits up to
   * `timeoutMs` for running jobs and their recorded outcomes. Jobs still running then keep
   * their lease and are claimed again once it expires (by any worker); one that finishes
   * later still records its outcome.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.#loop) return;
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#wake();
    await this.#loop;
    this.#loop = undefined;
    await this.#releaseReady();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    const settled = (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.#completions.flush();
      await Promise.allSettled([...this.#recording]);
    })();
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
  }

  /** Jobs this worker is running now. */
  get running(): number {
    return this.#inFlight.size;
  }

  /** Claim again once no more than this many claimed-ahead jobs are left. */
  get #lowWater(): number {
    return Math.floor(this.#prefetch / 2);
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      const room = this.options.concurrency + this.#prefetch - this.#inFlight.size - this.#ready.length;
      let pauseMs: number | null = this.options.pollMs;
      if (room === 0 || this.#ready.length > this.#lowWater) {
        // Enough in hand: a finishing job wakes the loop when the claimed-ahead jobs run low.
        if (this.#moreDue) pauseMs = null;
      } else {
        try {
          const { workerId, leaseMs } = this.options;
          const now = this.ctx.clock.now();
          this.#moreDue = false;
          const jobs = await claimJobs(this.ctx.db, this.ctx.caps, { workerId, leaseMs, now, limit: room });
          failures = 0;
          const batch: JobBatch = { jobs: jobs.map((row) => ({ kind: row.kind, businessId: row.business_id, payload: row.payload })) };
          for (const row of jobs) this.#ready.push({ row, claimedAt: now, batch });
          this.#startReady();
          if (jobs.length === room) {
            this.#moreDue = true;
            continue;
          }
        } catch (error) {
          this.#moreDue = true;
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

  /** Starts claimed jobs while slots are free. */
  #startReady(): void {
    while (!this.#stopping && this.#inFlight.size < this.options.concurrency) {
      const next = this.#ready.shift();
      if (!next) return;
      this.#launch(next);
    }
  }

  #launch(ready: ReadyJob): void {
    const run: Promise<void> = this.#execute(ready)
      // #execute handles every job failure; what remains is a throwing hook, which must not
      // become an unhandled rejection that ends the process.
      .catch((error: unknown) => this.ctx.logger.error({ err: error, jobId: ready.row.id }, 'job worker hook failed'))
      .finally(() => {
        this.#inFlight.delete(run);
        this.#startReady();
        if (this.#moreDue && this.#ready.length <= this.#lowWater) this.#wake();
      });
    this.#inFlight.add(run);
  }

  /** Gives the claimed jobs that never started back to the queue; failing that, they run again after their lease. */
  async #releaseReady(): Promise<void> {
    const ready = this.#ready.splice(0);
    if (ready.length === 0) return;
    const leases = ready.map(({ row }) => ({ id: row.id, workerId: this.options.workerId, attempt: row.attempts }));
    try {
      await releaseJobs(this.ctx.db, leases, this.ctx.clock.now());
    } catch (error) {
      this.ctx.logger.error({ err: error, workerId: this.options.workerId, count: leases.length }, 'could not give back claimed jobs; they run again after their lease');
    }
  }

  async #execute({ row, claimedAt, batch }: ReadyJob): Promise<void> {
    const info: JobInfo = { id: row.id, kind: row.kind, businessId: row.business_id, attempt: row.attempts };
    const lease: Lease = { id: row.id, workerId: this.options.workerId, attempt: row.attempts };
    const started = performance.now();
    const writes: JobFinish[] = [];
    try {
      // Claiming an expired lease counts an attempt, so a job that keeps crashing its worker
      // (out of memory, say) ends up dead instead of taking workers down forever.
      if (row.attempts > row.max_attempts) {
        throw new PermanentJobError(`gave up after ${row.max_attempts} attempts; the last one never reported back (worker crashed or lease expired)`);
      }
      const handler = Object.hasOwn(this.handlers, row.kind) ? this.handlers[row.kind] : undefined;
      if (!handler) throw new PermanentJobError(`no handler is registered for job kind "${row.kind}"`);
      const job: Job = { id: info.id, kind: info.kind, businessId: info.businessId, attempt: info.attempt, payload: parsePayload(row.payload), batch, finish: (write) => void writes.push(write) };
      if (!(await this.#leaseHeldSince(lease, claimedAt))) return;
      await this.#holdingLease(lease, () => handler(job));
    } catch (error) {
      await this.#fail(row, info, lease, error);
      return;
    }
    const durationMs = performance.now() - started;
    // The slot is free now; the delete joins the next batch and the outcome waits for it.
    const finish: JobFinish | undefined = writes.length === 0 ? undefined : async (trx) => {
      for (const write of writes) await write(trx);
    };
    const recording: Promise<void> = this.#complete(row, info, lease, finish, durationMs)
      .catch((error: unknown) => this.ctx.logger.error({ err: error, jobId: row.id }, 'job worker hook failed'))
      .finally(() => this.#recording.delete(recording));
    this.#recording.add(recording);
    // At rest (this was the only job) nothing would join the batch: write it now, as before batching.
    if (this.#inFlight.size <= 1 && this.#ready.length === 0) void this.#completions.flush();
  }

  async #complete(row: JobRow, info: JobInfo, lease: Lease, finish: JobFinish | undefined, durationMs: number): Promise<void> {
    let outcome;
    try {
      outcome = await this.#completions.add(lease, finish);
    } catch (error) {
      this.ctx.logger.error({ err: error, job: info }, 'could not record job outcome; it will run again after its lease');
      return;
    }
    if (outcome.kind === 'done') this.options.hooks?.onCompleted?.(info, durationMs);
    else if (outcome.kind === 'lost') this.ctx.logger.warn({ job: info, workerId: this.options.workerId }, 'job lease was taken over; outcome discarded');
    else await this.#fail(row, info, lease, outcome.error);
  }

  /**
   * A job claimed ahead may have waited a while for a slot: past a third of its lease it
   * renews the lease before starting, and does not start when the lease was taken over.
   */
  async #leaseHeldSince(lease: Lease, claimedAt: number): Promise<boolean> {
    const now = this.ctx.clock.now();
    if (now - claimedAt < this.options.leaseMs / 3) return true;
    try {
      if (await extendLease(this.ctx.db, lease, now + this.options.leaseMs)) return true;
      this.ctx.logger.warn({ jobId: lease.id, workerId: lease.workerId }, 'job lease was taken over before the job started');
    } catch (error) {
      this.ctx.logger.error({ err: error, jobId: lease.id }, 'could not renew the lease of a claimed job; it runs again after its lease');
    }
    return false;
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
  async #holdingLease<T>(lease: Lease, work: () => Promise<T>): Promise<T> {
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
      return await work();
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
