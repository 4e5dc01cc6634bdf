import type { Kysely } from 'kysely';
import type { JobHandlers } from '../../src/jobs/job-handler.js';
import type { Database } from '../../src/store/tables.js';

/**
 * Runs a business's jobs due at `now` once each with `handlers`, as a worker would: a job that
 * succeeds goes, one that throws stays queued with its attempt counted. Answers each job's
 * kind and error (null when it succeeded).
 */
export async function runDueJobs(db: Kysely<Database>, handlers: JobHandlers, businessId: number, now: number): Promise<Array<[string, string | null]>> {
  const rows = await db.selectFrom('jobs').selectAll().where('business_id', '=', businessId).where('state', '=', 'queued').where('run_at', '<=', now).orderBy('id').execute();
  const outcomes: Array<[string, string | null]> = [];
  for (const row of rows) {
    const attempt = row.attempts + 1;
    try {
      await handlers[row.kind]?.({ id: row.id, kind: row.kind, businessId: row.business_id, attempt, payload: JSON.parse(row.payload) });
      await db.deleteFrom('jobs').where('id', '=', row.id).execute();
      outcomes.push([row.kind, null]);
    } catch (error) {
      await db.updateTable('jobs').set({ attempts: attempt }).where('id', '=', row.id).execute();
      outcomes.push([row.kind, error instanceof Error ? error.message : String(error)]);
    }
  }
  return outcomes;
}
