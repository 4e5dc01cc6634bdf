import type { Config } from './config/config.js';
import type { CoreContext } from './core/context.js';
import { systemClock } from './core/shared/clock.js';
import { ingestProcedures } from './core/tracking/ingest.procedures.js';
import { createOutboundClient } from './net/outbound-client.js';
import { createLogger } from './observability/logger.js';
import { openStore, type Store } from './store/database.js';
import { migrateToLatest } from './store/migrator.js';

export interface Runtime {
  readonly ctx: CoreContext;
  readonly store: Store;
  /** Closes the outbound connections and the database. */
  close(): Promise<void>;
}

/** config -> store (migrated) -> core context: the part every command shares. */
export async function openRuntime(config: Config, options: { logTo?: 'stdout' | 'stderr' } = {}): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL, options.logTo);
  const store = openStore({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    procedures: ingestProcedures(config, options.logTo),
    onIdleConnectionError: (error) => logger.warn({ err: error }, 'an idle database connection was closed by the server; the pool replaces it'),
  });
  try {
    const applied = await migrateToLatest(store.db, store.capabilities);
    if (applied.length > 0) logger.info({ applied, database: store.location }, 'migrations applied');
  } catch (error) {
    await store.close();
    throw error;
  }
  const outbound = createOutboundClient({
    allowPrivateUrls: config.ALLOW_PRIVATE_URLS,
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
    userAgent: 'hellohub',
  });
  return {
    store,
    ctx: { db: store.db, caps: store.capabilities, config, clock: systemClock, logger, outbound },
    close: async () => {
      await outbound.close();
      await store.close();
    },
  };
}
