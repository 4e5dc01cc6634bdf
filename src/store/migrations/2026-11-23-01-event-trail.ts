import { sql, type Kysely } from 'kysely';

/**
 * A tracked event is its own entry in its profile's activity trail: the trail reads events
 * beside `profile_activity` (src/core/audience/activity.service.ts) instead of a copy of each
 * event there. The copy cost every ingested event a row and two index entries, one of them
 * at a random place in the profile index, which was about a tenth of ingestion's cost
 * (docs/performance.md). Copies already made go, with the column and index that tied them to
 * their events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from profile_activity where event_id is not null`.execute(db);
  // SQLite runs DDL outside the migration's transaction: a second attempt finds the index gone.
  await db.schema.dropIndex('profile_activity_event_idx').ifExists().execute();
  await db.schema.alterTable('profile_activity').dropColumn('event_id').execute();
}
