import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';

/** The database every test of this run uses: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined;
export const dialectUnderTest = testDatabaseUrl ? 'postgres' : 'sqlite';

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = 'hellohub-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A migrated store. On SQLite each call gets its own file; on PostgreSQL all share one
 * database and tests stay apart by creating their own business (never by truncating).
 */
export async function testStore(dataDir = tempDir()): Promise<Store> {
  const store = openStore({ databaseUrl: testDatabaseUrl, dataDir, poolSize: 5 });
  await migrateToLatest(store.db, store.capabilities);
  return store;
}
