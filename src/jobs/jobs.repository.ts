import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Capabilities } from '../store/capabilities.js';
import type { Database, JobState, JobsTable } from '../store/tables.js';

/** Queries of the `jobs` table. Times are epoch milliseconds. */

export type Db = Kysely<Database> | Transaction<Database>;
export type JobRow = Selectable<JobsTable>;

/** Identifies one claim of a job: the owner and the attempt it was claimed for. */
export interface Lease {
  readonly id: number;
  readonly workerId: string;
  readonly attempt: number;
}

export async function insertJob(db: Db, row: Insertable<JobsTable>): Promise<number> {
  const { id } = await db.insertInto('jobs').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Atomically takes up to `limit` due jobs: queued ones whose time has come, and running ones
 * whose lease ran out (their worker died or hung). One statement both selects and locks, so
 * two workers never receive the same job: PostgreSQL skips rows another claim has locked;
 * SQLite runs one writing statement at a time.
 */
export async function claimJobs(
  db: Db,
  caps: Capabilities,
  claim: { workerId: string; now: number; leaseMs: number; limit: number },
): Promise<JobRow[]> {
  const { workerId, now, leaseMs, limit } = claim;
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
        eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit)
    .$if(caps.skipLocked, (qb) => qb.forUpdate().skipLocked());
  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      locked_by: workerId,
      locked_until: now + leaseMs,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/*
 * The outcome updates below are fenced by the lease: when a worker outlives its lease and
 * another worker takes the job over, the late worker matches no row and changes nothing.
 * The attempt is part of the fence because a worker may re-claim its own expired job.
 */

/** Done jobs are deleted, not kept: the table stays small and holds only pending and dead work. */
export async function completeJob(db: Db, lease: Lease): Promise<boolean> {
  const result = await db
    .deleteFrom('jobs')
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.workerId)
    .where('attempts', '=', lease.attempt)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Puts a failed job back in the queue until `runAt`. */
/** Pushes a running job's lease forward while its handler still works; false once the lease is lost. */
export async function extendLease(db: Db, lease: Lease, lockedUntil: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: lockedUntil })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.workerId)
    .where('attempts', '=', lease.attempt)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function rescheduleJob(db: Db, lease: Lease, change: { runAt: number; error: string; now: number }): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', run_at: change.runAt, last_error: change.error, locked_by: null, locked_until: null, updated_at: change.now })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.workerId)
    .where('attempts', '=', lease.attempt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Dead jobs are kept, with their last error, for an operator to inspect or re-queue. */
export async function markJobDead(db: Db, lease: Lease, change: { error: string; now: number }): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'dead', last_error: change.error, locked_by: null, locked_until: null, updated_at: change.now })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.workerId)
    .where('attempts', '=', lease.attempt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** For metrics: queue depth is queued + running; dead jobs need an operator. */
export async function countJobsByState(db: Db): Promise<Record<JobState, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['state', eb.fn.countAll<number | string>().as('count')])
    .groupBy('state')
    .execute();
  const counts: Record<JobState, number> = { queued: 0, running: 0, dead: 0 };
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}
