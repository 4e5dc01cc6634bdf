import { sql, type Kysely } from 'kysely';

/**
 * Indexes that serve the worker's claim (src/jobs/jobs.repository.ts) in its own order, so a
 * claim reads the first due rows instead of sorting the whole queue. The claim has two arms,
 * each answered by one partial index: queued jobs in (run_at, id) order up to now, and
 * running jobs whose lease expired, by locked_until. Dead jobs are in neither, so a pile of
 * them for an operator to inspect costs the claim nothing.
 *
 * jobs_due_idx (state, run_at) from the foundation is dropped: the claim no longer uses it
 * and every enqueue, claim and delete had to maintain it. Counting jobs by state is served
 * by jobs_business_idx (business_id, state).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_queued_idx').on('jobs').columns(['run_at', 'id']).where(sql.ref('state'), '=', 'queued').execute();
  await db.schema.createIndex('jobs_leases_idx').on('jobs').column('locked_until').where(sql.ref('state'), '=', 'running').execute();
  await db.schema.dropIndex('jobs_due_idx').execute();
}
