import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testCore, type TestCore } from '../../test/support/context.js';
import { createApiKey } from '../core/business/api-keys.service.js';
import { createBusiness } from '../core/business/businesses.service.js';
import { TenantDb } from '../core/shared/tenant.js';
import { preparedQuery } from './prepared-query.js';

let core: TestCore;
before(async () => {
  core = await testCore();
});
after(() => core.dispose());

const keyByName = preparedQuery((db, p: { businessId: number; name: string }) =>
  new TenantDb(db, p.businessId).selectFrom('api_keys').select(['business_id', 'name']).where('name', '=', p.name).where('revoked_at', 'is', null),
);

const rename = preparedQuery((db, p: { businessId: number; from: string; to: string }) =>
  // 'spare' is a constant of the statement: bound as it was written, at every run.
  new TenantDb(db, p.businessId).updateTable('api_keys').set({ name: p.to }).where('name', 'in', [p.from, 'spare']).returning(['name']),
);

test('a prepared query runs with the values of each call, in its business only, in and out of transactions', async () => {
  const { business: a } = await createBusiness(core, { name: 'A' });
  const { business: b } = await createBusiness(core, { name: 'B' });
  await createApiKey(core, { businessId: a.id, name: 'shop' });
  await createApiKey(core, { businessId: b.id, name: 'shop' });
  await createApiKey(core, { businessId: b.id, name: 'spare' });

  assert.deepEqual(await keyByName(core.db, { businessId: a.id, name: 'shop' }), [{ business_id: a.id, name: 'shop' }]);
  assert.deepEqual(await keyByName(core.db, { businessId: b.id, name: 'shop' }), [{ business_id: b.id, name: 'shop' }]);
  assert.deepEqual(await keyByName(core.db, { businessId: a.id, name: 'nothing' }), []);

  const renamed = await core.db.transaction().execute((trx) => rename(trx, { businessId: b.id, from: 'shop', to: 'store' }));
  assert.deepEqual(renamed.map((row) => row.name).sort(), ['store', 'store'], "B's shop and its spare key, by the constant");
  assert.deepEqual(await keyByName(core.db, { businessId: a.id, name: 'shop' }), [{ business_id: a.id, name: 'shop' }], "A's key of that name is untouched");
});

test('a parameter that never reaches the SQL is refused at the first run', async () => {
  const broken = preparedQuery((db, p: { businessId: number; unused: string }) => new TenantDb(db, p.businessId).selectFrom('api_keys').select('id'));
  await assert.rejects(broken(core.db, { businessId: 1, unused: 'x' }), /unused not bound/);
});
