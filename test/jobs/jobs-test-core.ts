import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import type { CoreContext } from '../../src/core/context.js';
import { systemClock, type Clock } from '../../src/core/shared/clock.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { testDatabaseUrl } from '../support/database.js';

/**
 * A core context on a database of its own. testCore() shares one PostgreSQL database between
 * all tests, which suits tenant tables; but a worker claims jobs of every business, so on a
 * shared database it would run (and kill as unknown) the jobs of other tests, and theirs
 * would run ours. On PostgreSQL this creates a scratch database (needs CREATEDB), dropped by
 * dispose(); on SQLite the file in `dataDir` is private anyway.
 */
export interface JobsTestCore extends CoreContext {
  readonly store: Store;
  readonly dataDir: string;
  /** The scratch PostgreSQL database; undefined on SQLite. */
  readonly databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export async function jobsTestCore(options: { clock?: Clock; logger?: Logger } = {}): Promise<JobsTestCore> {
  // Removed by dispose(): tempDir() would add an exit listener per test.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellohub-jobs-'));
  const scratch = testDatabaseUrl ? await createScratchDatabase(testDatabaseUrl) : undefined;
  const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(scratch ? { DATABASE_URL: scratch.url } : {}) });
  const store = openStore({ databaseUrl: scratch?.url, dataDir, poolSize: 5 });
  await migrateToLatest(store.db, store.capabilities);
  return {
    store,
    dataDir,
    databaseUrl: scratch?.url,
    db: store.db,
    caps: store.capabilities,
    config,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createQuietLogger(),
    dispose: async () => {
      await store.close();
      await scratch?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A logger keeping its lines for assertions. */
export function createCapturingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

function createQuietLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hellohub_jobs_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
