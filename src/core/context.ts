import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { OutboundClient } from '../net/outbound-client.js';
import type { Capabilities } from '../store/capabilities.js';
import type { Database } from '../store/tables.js';
import type { Clock } from './shared/clock.js';

/** What every use case may use. Built once by the composition root (src/server.ts, the CLI, tests). */
export interface CoreContext {
  readonly db: Kysely<Database>;
  readonly caps: Capabilities;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The one way out to the network: refuses private addresses unless ALLOW_PRIVATE_URLS. */
  readonly outbound: OutboundClient;
}
