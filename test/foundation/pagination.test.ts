import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/core/business/api-keys.service.js';
import { bearer, testApp, testBusiness, type TestApp } from '../support/app.js';

/** Pagination conventions of every /v1 collection, on GET /v1/api_keys. */
describe('keyset pagination', () => {
  let t: TestApp;
  let token: string;
  let businessId: number;
  /** Public ids of the business's keys, newest first. */
  let all: string[];

  const page = async (query: string): Promise<string[]> => {
    const res = await t.app.inject({ url: `/v1/api_keys${query}`, headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().api_keys.map((key: { id: string }) => key.id);
  };

  before(async () => {
    t = await testApp();
    const tenant = await testBusiness(t.core);
    token = tenant.token;
    businessId = tenant.business.id;
    for (let i = 0; i < 29; i++) await createApiKey(t.core, { businessId, name: `k${i}` });
    all = await page('?limit=100');
  });
  after(() => t.close());

  test('newest first, 25 by default, limit up to 100 and clamped above', async () => {
    assert.equal(all.length, 30);
    const decoded = all.map((id) => t.ids.decode('api_key', id) ?? 0);
    assert.deepEqual(decoded, [...decoded].sort((a, b) => b - a));
    assert.deepEqual(await page(''), all.slice(0, 25));
    assert.deepEqual(await page('?limit=1000'), all);
  });

  test('pages chain without gaps or repeats', async () => {
    const first = await page('?limit=10');
    const second = await page(`?limit=10&starting_after=${first.at(-1)}`);
    const third = await page(`?limit=10&starting_after=${second.at(-1)}`);
    assert.deepEqual([...first, ...second, ...third], all);
    assert.deepEqual(await page(`?limit=10&starting_after=${third.at(-1)}`), [], 'after the last item: empty');
  });

  test('exactly limit items left, then empty', async () => {
    const rest = await page(`?limit=5&starting_after=${all[24]}`);
    assert.deepEqual(rest, all.slice(25));
    assert.deepEqual(await page(`?limit=5&starting_after=${rest.at(-1)}`), []);
  });

  test('ending_before gives the items just newer than the cursor, newest first', async () => {
    assert.deepEqual(await page(`?limit=3&ending_before=${all[10]}`), all.slice(7, 10));
    assert.deepEqual(await page(`?ending_before=${all[0]}`), []);
    assert.deepEqual(await page(`?starting_after=${all[20]}&ending_before=${all[25]}`), all.slice(21, 25));
  });

  test('stable while new rows arrive', async () => {
    const first = await page('?limit=10');
    await createApiKey(t.core, { businessId, name: 'newcomer' });
    const second = await page(`?limit=10&starting_after=${first.at(-1)}`);
    assert.deepEqual(second, all.slice(10, 20));
  });

  test('bad limits and forged cursors are 422 invalid', async () => {
    // Cursors no install alphabet can decode: too short, characters outside [A-Za-z0-9], or
    // another kind's id (kinds never share ids). An arbitrary 8-letter string such as
    // 'zzzzzzzz' could be a canonical id under some alphabets, so none is used.
    const profileId = t.ids.encode('profile', 1);
    const cursors = ['?starting_after=notAnId!', '?ending_before=abc', '?starting_after=zzzz-zzz', `?ending_before=${profileId}`];
    for (const query of ['?limit=0', '?limit=-3', '?limit=abc', ...cursors]) {
      const res = await t.app.inject({ url: `/v1/api_keys${query}`, headers: bearer(token) });
      assert.equal(res.statusCode, 422, query);
      assert.equal(res.json().errors[0].type, 'invalid');
    }
  });

  test("another business's cursor reveals nothing", async () => {
    const other = await testBusiness(t.core);
    const res = await t.app.inject({ url: `/v1/api_keys?starting_after=${all[0]}`, headers: bearer(other.token) });
    assert.equal(res.statusCode, 200);
    const ids: string[] = res.json().api_keys.map((key: { id: string }) => key.id);
    assert.ok(ids.every((id) => !all.includes(id)));
  });
});
