import type { Logger } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import type { CoreContext } from '../../src/core/context.js';
import { systemClock, type Clock } from '../../src/core/shared/clock.js';
import { ingestProcedures } from '../../src/core/tracking/ingest.procedures.js';
import { createOutboundClient } from '../../src/net/outbound-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { createScratchDatabase, tempDir, testDatabaseUrl } from './database.js';

export interface TestCore extends CoreContext {
  readonly store: Store;
  readonly dataDir: string;
  /** The PostgreSQL database in use; undefined on SQLite. */
  readonly databaseUrl: string | undefined;
  /** Closes the store (and drops an own database). */
  dispose(): Promise<void>;
}

export interface TestCoreOptions {
  readonly config?: Partial<Record<ConfigName, string>>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * On PostgreSQL, a scratch database instead of the shared one. Tests of tenant data share
   * one database and stay apart by creating their own business (never by truncating);
   * tests that see every business, like job workers, need a database of their own.
   * On SQLite every test core has its own file anyway.
   */
  readonly ownDatabase?: boolean;
}

/** A core context on a migrated test database, with quiet logs and private URLs allowed. */
export async function testCore(options: TestCoreOptions = {}): Promise<TestCore> {
  const dataDir = tempDir();
  const scratch = testDatabaseUrl && options.ownDatabase ? await createScratchDatabase(testDatabaseUrl) : undefined;
  const databaseUrl = scratch?.url ?? testDatabaseUrl;
  const config = loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ALLOW_PRIVATE_URLS: 'true',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...options.config,
    },
  );
  const store = openStore({ databaseUrl, dataDir, poolSize: 5, procedures: ingestProcedures(config) });
  await migrateToLatest(store.db, store.capabilities);
  const outbound = createOutboundClient({ allowPrivateUrls: true, timeoutMs: config.OUTBOUND_TIMEOUT_MS });
  return {
    store,
    dataDir,
    databaseUrl,
    db: store.db,
    caps: store.capabilities,
    config,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger(config.LOG_LEVEL),
    outbound,
    dispose: async () => {
      await outbound.close();
      await store.close();
      await scratch?.drop();
    },
  };
}
