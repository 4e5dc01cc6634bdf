/**
 * The store thread's side of event ingestion (event-batches.ts): a batch is written there
 * whole, on the thread's connection, with a core context of its own. The composition root
 * opens stores with this module (`ingestProcedures`) so the thread can load it.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import { createOutboundClient } from '../../net/outbound-client.js';
import { createLogger } from '../../observability/logger.js';
import type { Capabilities } from '../../store/capabilities.js';
import type { CreateProcedures, ProcedureModules } from '../../store/procedures.js';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { toWire, WRITE_EVENTS, type WriteEventsPayload } from './event-batches.js';
import { writeBatch } from './event-ingest.js';

type LogDestination = 'stdout' | 'stderr';

/**
 * What a composition root passes to `openStore` (the store's thread loads this module); the
 * thread logs where the process does.
 */
export function ingestProcedures(config: Config, logTo: LogDestination = 'stdout'): ProcedureModules {
  return { modules: [import.meta.url], context: { config, logTo } };
}

function isContext(value: unknown): value is { config: Config; logTo: LogDestination } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'config' in value &&
    typeof value.config === 'object' &&
    value.config !== null &&
    'logTo' in value &&
    (value.logTo === 'stdout' || value.logTo === 'stderr')
  );
}

function isPayload(value: unknown): value is WriteEventsPayload {
  return typeof value === 'object' && value !== null && 'items' in value && Array.isArray(value.items) && 'now' in value && typeof value.now === 'number';
}

export const createProcedures: CreateProcedures = (db: Kysely<Database>, caps: Capabilities, context: unknown) => {
  if (!isContext(context)) throw new Error('the ingest procedures need { config, logTo } as their context');
  const { config, logTo } = context;
  const base: Omit<CoreContext, 'clock'> = {
    db,
    caps,
    config,
    logger: createLogger(config.LOG_LEVEL, logTo),
    outbound: createOutboundClient({ allowPrivateUrls: config.ALLOW_PRIVATE_URLS, timeoutMs: config.OUTBOUND_TIMEOUT_MS, userAgent: 'hellohub' }),
  };
  return {
    [WRITE_EVENTS]: async (payload) => {
      if (!isPayload(payload)) throw new Error(`${WRITE_EVENTS} was called without { items, now }`);
      // The batch's time is the caller's (tests drive a manual clock there), per call: the
      // PostgreSQL thread may run calls side by side.
      const { now } = payload;
      return (await writeBatch({ ...base, clock: { now: () => now } }, payload.items)).map(toWire);
    },
  };
};
