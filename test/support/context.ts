import { loadConfig, type Config } from '../../src/config/config.js';
import type { CoreContext } from '../../src/core/context.js';
import { systemClock, type Clock } from '../../src/core/shared/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import { tempDir, testDatabaseUrl, testStore } from './database.js';
import type { Store } from '../../src/store/database.js';

export interface TestCore extends CoreContext {
  readonly store: Store;
}

/** A core context on a migrated test database, with quiet logs and private URLs allowed. */
export async function testCore(
  options: { config?: Partial<Record<ConfigName, string>>; clock?: Clock } = {},
): Promise<TestCore> {
  const dataDir = tempDir();
  const config: Config = loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ALLOW_PRIVATE_URLS: 'true',
      ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
      ...options.config,
    },
  );
  const store = await testStore(dataDir);
  return {
    store,
    db: store.db,
    caps: store.capabilities,
    config,
    clock: options.clock ?? systemClock,
    logger: createLogger(config.LOG_LEVEL),
  };
}
