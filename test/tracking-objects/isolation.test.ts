import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { actionsByName } from '../../src/core/tracking/actions.service.js';
import { assertError, audienceApp, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

/**
 * Tenant isolation on the app, form, coupon and action routes: another business's ids answer
 * 404 and change nothing; its collections never show them; its names and codes are no
 * duplicates.
 */
describe('tracking objects: tenant isolation', () => {
  let t: AudienceApp;
  let owner: Api;
  let intruder: Api;
  /** Path of each of the owner's objects. */
  let objects: Record<string, string>;

  const COLLECTIONS = ['/attribution/apps', '/attribution/forms', '/coupons', '/attribution/actions'];

  async function ownerView(): Promise<unknown> {
    const view: Record<string, unknown> = {};
    for (const path of [...COLLECTIONS, ...Object.values(objects)]) view[path] = (await owner.get(path)).body;
    return view;
  }

  async function made(path: string, body: Record<string, unknown>): Promise<string> {
    const res = await owner.post<{ id: string }>(path, body);
    assert.equal(res.status, 201, res.text);
    return `${path}/${res.body.id}`;
  }

  before(async () => {
    t = await audienceApp();
    owner = await tenant(t);
    intruder = await tenant(t);
    const builtin = (await actionsByName(forBusiness(t.core, owner.businessId), ['order.placed'])).get('order.placed');
    assert.ok(builtin);
    objects = {
      app: await made('/attribution/apps', { name: 'Owner app', image_url: 'https://owner.example/icon.png', metadata: { secret: 's' } }),
      form: await made('/attribution/forms', { name: 'Owner form' }),
      coupon: await made('/coupons', { code: 'OWNER', description: 'Owner only', destination_url: 'https://owner.example/r' }),
      action: await made('/attribution/actions', { name: 'owner.action' }),
      builtin: `/attribution/actions/${t.ids.encode('action', builtin.id)}`,
    };
  });
  after(() => t.close());

  test("another business's ids answer 404 on every route and change nothing", async () => {
    const before = await ownerView();
    for (const path of Object.values(objects)) {
      assertError(await intruder.get(path), 404, 'not_found', 'id');
      assertError(await intruder.patch(path, { name: 'Hacked', code: 'HACKED', title: 'Hacked' }), 404, 'not_found', 'id');
      assertError(await intruder.delete(path), 404, 'not_found', 'id');
    }
    assert.deepEqual(await ownerView(), before);
  });

  test("collections show only the business's own objects; cursors of another business page nothing of it", async () => {
    for (const path of COLLECTIONS) {
      const res = await intruder.get<Record<string, unknown[]>>(path);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.values(res.body), [[]], path);
    }
    const appId = objects.app?.split('/').pop();
    const res = await intruder.get<{ apps: unknown[] }>(`/attribution/apps?ending_before=${appId}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.apps, []);
  });

  test("the owner's names and codes are free in another business", async () => {
    for (const [path, body] of [
      ['/attribution/apps', { name: 'Owner app' }],
      ['/attribution/forms', { name: 'Owner form' }],
      ['/coupons', { code: 'OWNER', description: 'Mine', destination_url: 'https://intruder.example/r' }],
      ['/attribution/actions', { name: 'owner.action' }],
    ] as const) {
      const res = await intruder.post(path, body);
      assert.equal(res.status, 201, `${path}: ${res.text}`);
    }
  });

  test('requests without a valid key are 401', async () => {
    for (const path of [...COLLECTIONS, ...Object.values(objects)]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1${path}`, headers: { authorization: 'Bearer hh_zz-forged' } });
      assert.equal(res.statusCode, 401, path);
    }
  });
});
