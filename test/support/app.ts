import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { PublicIds } from '../../src/core/shared/public-ids.js';
import { createBusiness, type Business } from '../../src/core/business/businesses.service.js';
import { publicIdsOf } from '../../src/core/business/installation.service.js';
import type { CoreContext } from '../../src/core/context.js';
import { countJobsByState } from '../../src/jobs/jobs.repository.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import { testCore, type TestCore } from './context.js';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly core: TestCore;
  readonly ids: PublicIds;
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/**
 * The real application on a migrated test database, not listening. `extend` may add routes
 * before the app is ready (tests of shared plumbing use it to echo what a route receives).
 */
export async function testApp(
  options: { extend?: (app: FastifyInstance) => void; config?: Partial<Record<ConfigName, string>>; ownDatabase?: boolean } = {},
): Promise<TestApp> {
  const core = await testCore({ config: options.config, ownDatabase: options.ownDatabase });
  const ids = await publicIdsOf(core);
  const metrics = new Metrics(() => countJobsByState(core.db));
  const app = await buildApp({ ctx: core, ids, metrics });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    core,
    ids,
    metrics,
    close: async () => {
      await app.close();
      await core.dispose();
    },
  };
}

let counter = 0;

/** A new business with a key valid on every surface: each test gets its own tenant. */
export async function testBusiness(ctx: CoreContext, name = `Test business ${++counter}`): Promise<{ business: Business; token: string }> {
  const { business, key } = await createBusiness(ctx, { name, email: `owner${counter}@example.com`, country: 'NL', currency: 'EUR', timezone: 'Europe/Amsterdam' });
  return { business, token: key.token };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (token: string, user = 'anyone') => ({ authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` });
