import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testCore, type TestCore } from '../../../test/support/context.js';
import { createApiKey } from '../business/api-keys.service.js';
import { createBusiness } from '../business/businesses.service.js';
import { TenantDb } from './tenant.js';

let core: TestCore;
before(async () => {
  core = await testCore();
});
after(() => core.dispose());

test('a TenantDb reads, changes and deletes only its own business rows', async () => {
  const { business: a } = await createBusiness(core, { name: 'A' });
  const { business: b } = await createBusiness(core, { name: 'B' });
  await createApiKey(core, { businessId: a.id, name: 'a' });
  const keyB = await createApiKey(core, { businessId: b.id, name: 'b' });
  const asA = new TenantDb(core.db, a.id);

  const seen = await asA.selectFrom('api_keys').select(['business_id', 'name']).orderBy('id').execute();
  assert.deepEqual(seen, [
    { business_id: a.id, name: 'default' },
    { business_id: a.id, name: 'a' },
  ]);
  assert.equal(await asA.selectFrom('api_keys').selectAll().where('id', '=', keyB.id).executeTakeFirst(), undefined);

  await asA.updateTable('api_keys').set({ name: 'renamed' }).execute();
  await asA.deleteFrom('api_keys').where('id', '=', keyB.id).execute();
  const rowB = await core.db.selectFrom('api_keys').select('name').where('id', '=', keyB.id).executeTakeFirst();
  assert.deepEqual(rowB, { name: 'b' }, "B's key is untouched");

  await asA.transaction(async (tenant) => {
    assert.equal(tenant.businessId, a.id);
    await tenant.deleteFrom('api_keys').execute();
  });
  assert.equal((await asA.selectFrom('api_keys').selectAll().execute()).length, 0);
  assert.equal((await new TenantDb(core.db, b.id).selectFrom('api_keys').selectAll().execute()).length, 2);
});
