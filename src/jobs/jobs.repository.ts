import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
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

/** The states as literals, not parameters, so both databases match them to the partial indexes. */
const QUEUED = sql<JobState>`'queued'`;
const RUNNING = sql<JobState>`'running'`;

/**
 * Atomically takes up to `limit` due jobs, oldest run_at first: queued ones whose time has
 * come, and running ones whose lease ran out (their worker died or hung). Each arm reads the
 * head of its own partial index (migration 06) rather than sorting the queue, and the two
 * short lists are merged. One statement both selects and locks, so two workers never
 * receive the same job: PostgreSQL skips rows another claim has locked; SQLite runs one
 * writing statement at a time.
 */
export async function claimJobs(
  db: Db,
  caps: Capabilities,
  claim: { workerId: string; now: number; leaseMs: number; limit: number },
): Promise<JobRow[]> {
  const { workerId, now, leaseMs, limit } = claim;
  const queued = db
    .selectFrom('jobs')
    .select(['id', 'run_at'])
    .where('state', '=', QUEUED)
    .where('run_at', '<=', now)
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit)
    .$if(caps.skipLocked, (qb) => qb.forUpdate().skipLocked());
  const expired = db
    .selectFrom('jobs')
    .select(['id', 'run_at'])
    .where('state', '=', RUNNING)
    .where('locked_until', '<', now)
    .orderBy('locked_until')
    .limit(limit)
    .$if(caps.skipLocked, (qb) => qb.forUpdate().skipLocked());
  const due = db
    .selectFrom(db.selectFrom(queued.as('q')).select(['q.id', 'q.run_at']).unionAll(db.selectFrom(expired.as('e')).select(['e.id', 'e.run_at'])).as('d'))
    .select('d.id')
    .orderBy('d.run_at')
    .orderBy('d.id')
    .limit(limit);
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

/** Most jobs one completion or release statement names (bound parameters stay well under both databases' limits). */
const MAX_PER_STATEMENT = 500;

/** Done jobs are deleted, not kept: the table stays small and holds only pending and dead work. */
export async function completeJob(db: Db, lease: Lease): Promise<boolean> {
  return (await completeJobs(db, [lease])).has(lease.id);
}

/**
 * Deletes many done jobs at once, each fenced by its own lease; answers the ids deleted. One
 * statement per few hundred jobs: on SQLite every write outside a transaction is a commit
 * (an fsync), so a worker finishing hundreds of jobs a second batches them here.
 */
export async function completeJobs(db: Db, leases: readonly Lease[]): Promise<Set<number>> {
  const deleted = new Set<number>();
  for (let start = 0; start < leases.length; start += MAX_PER_STATEMENT) {
    const chunk = leases.slice(start, start + MAX_PER_STATEMENT);
    const rows = await db
      .deleteFrom('jobs')
      .where((eb) => eb.or(chunk.map((lease) => eb.and([eb('id', '=', lease.id), eb('locked_by', '=', lease.workerId), eb('attempts', '=', lease.attempt)]))))
      .returning('id')
      .execute();
    for (const row of rows) deleted.add(row.id);
  }
  return deleted;
}

/**
 * Gives claimed jobs that never started back to the queue (a stopping worker's claimed-ahead
 * jobs), as they were before the claim: the attempt it counted is taken back, so the next
 * owner does not see a crash that never happened. Fenced like every outcome.
 */
export async function releaseJobs(db: Db, leases: readonly Lease[], now: number): Promise<number> {
  let released = 0;
  for (let start = 0; start < leases.length; start += MAX_PER_STATEMENT) {
    const chunk = leases.slice(start, start + MAX_PER_STATEMENT);
    const result = await db
      .updateTable('jobs')
      .set((eb) => ({ state: 'queued', locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1), updated_at: now }))
      .where('state', '=', RUNNING)
      .where((eb) => eb.or(chunk.map((lease) => eb.and([eb('id', '=', lease.id), eb('locked_by', '=', lease.workerId), eb('attempts', '=', lease.attempt)]))))
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

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

/** Puts a failed job back in the queue until `runAt`. */
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
