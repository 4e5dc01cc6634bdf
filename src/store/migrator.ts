import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Capabilities } from './capabilities.js';
import type { Database } from './tables.js';
import * as foundation from './migrations/2026-11-22-01-foundation.js';
import * as audience from './migrations/2026-11-22-02-audience.js';
import * as tracking from './migrations/2026-11-22-03-tracking.js';
import * as messaging from './migrations/2026-11-22-04-messaging.js';
import * as templateSubmission from './migrations/2026-11-22-05-template-submission.js';
import * as jobClaims from './migrations/2026-11-22-06-job-claims.js';
import * as eventTrail from './migrations/2026-11-23-01-event-trail.js';
import * as catalogImages from './migrations/2026-11-23-02-catalog-images.js';

interface MigrationModule {
  up(db: Kysely<unknown>, caps: Capabilities): Promise<void>;
}

/**
 * Dated, immutable migrations in the order they apply. They are imported, not read from a
 * folder, so the same list runs from TypeScript sources and from the compiled build.
 */
const migrations: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['2026-11-22-01-foundation', foundation],
  ['2026-11-22-02-audience', audience],
  ['2026-11-22-03-tracking', tracking],
  ['2026-11-22-04-messaging', messaging],
  ['2026-11-22-05-template-submission', templateSubmission],
  ['2026-11-22-06-job-claims', jobClaims],
  ['2026-11-23-01-event-trail', eventTrail],
  ['2026-11-23-02-catalog-images', catalogImages],
];

export class MigrationError extends Error {}

export async function migrateToLatest(db: Kysely<Database>, caps: Capabilities): Promise<string[]> {
  const provider = {
    getMigrations: async (): Promise<Record<string, Migration>> =>
      Object.fromEntries(migrations.map(([name, module]) => [name, { up: (trx: Kysely<unknown>) => module.up(trx, caps) }])),
  };
  const migrator = new Migrator({ db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String(result.error instanceof Error ? result.error.message : result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
