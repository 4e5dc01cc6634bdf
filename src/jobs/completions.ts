import type { JobFinish } from './job-handler.js';
import { completeJobs, type Db, type Lease } from './jobs.repository.js';

/** What became of one completion: deleted (with its finish), lease lost, or its finish failed. */
export type CompletionOutcome = { readonly kind: 'done' } | { readonly kind: 'lost' } | { readonly kind: 'failed'; readonly error: unknown };

interface Completion {
  readonly lease: Lease;
  readonly finish: JobFinish | undefined;
}

const DONE: CompletionOutcome = { kind: 'done' };
const LOST: CompletionOutcome = { kind: 'lost' };

/**
 * Deletes done jobs and runs their finishing writes in one transaction: first the deletes,
 * fenced by lease, then the finishes of the jobs actually deleted, so a job whose lease was
 * taken over writes nothing. When a finish throws, the batch is written again one job per
 * transaction, so one bad job does not fail its neighbours.
 */
async function writeCompletions(db: Db, batch: readonly Completion[]): Promise<CompletionOutcome[]> {
  if (batch.every((entry) => entry.finish === undefined)) {
    const deleted = await completeJobs(db, batch.map((entry) => entry.lease));
    return batch.map((entry) => (deleted.has(entry.lease.id) ? DONE : LOST));
  }
  const inOne = async (entries: readonly Completion[]): Promise<CompletionOutcome[]> =>
    db.transaction().execute(async (trx) => {
      const deleted = await completeJobs(trx, entries.map((entry) => entry.lease));
      for (const entry of entries) if (entry.finish && deleted.has(entry.lease.id)) await entry.finish(trx);
      return entries.map((entry) => (deleted.has(entry.lease.id) ? DONE : LOST));
    });
  if (batch.length > 1) {
    try {
      return await inOne(batch);
    } catch {
      // Fall through: find the job that failed by writing each alone.
    }
  }
  const outcomes: CompletionOutcome[] = [];
  for (const entry of batch) {
    try {
      outcomes.push(...(await inOne([entry])));
    } catch (error) {
      outcomes.push({ kind: 'failed', error });
    }
  }
  return outcomes;
}

/**
 * Deleting a done job is a write of its own; on SQLite (synchronous = FULL) each is a commit
 * with an fsync, which at hundreds of jobs a second costs more than the jobs. Completions are
 * therefore collected for `delayMs` (or until `maxBatch` are waiting) and written together.
 * Nothing is lost by waiting: until its delete commits a job is only `running` under its
 * lease, so a crash in between means the job runs again after the lease, as after a crash
 * during the handler; its finishing writes, in the same transaction, are lost with it.
 */
export class CompletionBatch {
  #pending: Array<{ entry: Completion; resolve: (outcome: CompletionOutcome) => void; reject: (error: unknown) => void }> = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly delayMs: number,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once written (or its lease found lost, or its finish failed); rejects when the write itself failed. */
  add(lease: Lease, finish: JobFinish | undefined): Promise<CompletionOutcome> {
    return new Promise<CompletionOutcome>((resolve, reject) => {
      this.#pending.push({ entry: { lease, finish }, resolve, reject });
      if (this.#pending.length >= this.maxBatch) void this.flush();
      // Unref'd: waiting completions never keep a process alive (Worker.stop flushes them).
      else this.#timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
    });
  }

  /** Writes what is waiting now, after any write in progress; resolves when both are done. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending.splice(0);
    // One write at a time, in order: SQLite has one writer anyway, and batches of one
    // worker never compete with each other for locks on PostgreSQL.
    this.#writing = this.#writing.then(async () => {
      if (batch.length === 0) return;
      try {
        const outcomes = await writeCompletions(
          this.db,
          batch.map((pending) => pending.entry),
        );
        batch.forEach((pending, index) => pending.resolve(outcomes[index] ?? { kind: 'failed', error: new Error('no outcome for a completion') }));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    });
    return this.#writing;
  }
}
