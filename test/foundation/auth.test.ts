import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey, revokeApiKey } from '../../src/core/business/api-keys.service.js';
import { basic, bearer, testApp, testBusiness, type TestApp } from '../support/app.js';

describe('authentication on every surface', () => {
  let t: TestApp;
  let token: string;
  let businessName: string;

  before(async () => {
    t = await testApp();
    const { business, token: key } = await testBusiness(t.core);
    token = key;
    businessName = business.name;
  });
  after(() => t.close());

  test('Hellotext: Bearer key answers the business; bad, missing and other schemes are 401 in its envelope', async () => {
    const ok = await t.app.inject({ url: '/v1/business', headers: bearer(token) });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().name, businessName);
    assert.equal(ok.json().type, 'business');
    for (const headers of [{}, bearer('hh_nope'), bearer(token + 'x'), basic(token), { authorization: token }]) {
      const denied = await t.app.inject({ url: '/v1/business', headers });
      assert.equal(denied.statusCode, 401);
      assert.deepEqual(denied.json(), { errors: [{ type: 'unauthorized', message: 'No valid API key.', parameter: null }] });
    }
    const lower = await t.app.inject({ url: '/v1/business', headers: { authorization: `bearer ${token}` } });
    assert.equal(lower.statusCode, 200);
  });

  test('Hellodialog: ?token= answers /api/ping in the documented shape', async () => {
    const ok = await t.app.inject({ url: `/api/ping?token=${token}` });
    assert.equal(ok.statusCode, 200);
    const body = ok.json();
    assert.equal(body.account, businessName);
    assert.match(body.account_id, /^\d+$/);
    assert.equal(typeof body.plan, 'string');
    assert.equal(typeof body.access, 'object');
    assert.ok(Array.isArray(body.modules));
    for (const url of ['/api/ping', '/api/ping?token=', '/api/ping?token=hh_wrong']) {
      const denied = await t.app.inject({ url });
      assert.equal(denied.statusCode, 401);
      assert.deepEqual(denied.json().result.status, 'ERROR');
      assert.equal(denied.json().result.code, 401);
    }
    const header = await t.app.inject({ url: '/api/ping', headers: bearer(token) });
    assert.equal(header.statusCode, 401, 'Hellodialog reads the key only from the query');
  });

  test('eSputnik: Basic with any user name and the key as password, on /api/v1 and /api/v2', async () => {
    for (const prefix of ['/api/v1', '/api/v2']) {
      const ok = await t.app.inject({ url: `${prefix}/account/info`, headers: basic(token, 'whoever') });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(Object.keys(ok.json()).sort(), ['organisationName', 'userEmail']);
      assert.equal(ok.json().organisationName, businessName);
    }
    const empty = await t.app.inject({ url: '/api/v1/account/info', headers: basic(token, '') });
    assert.equal(empty.statusCode, 200);
    const denied = await t.app.inject({ url: '/api/v1/account/info', headers: basic('hh_wrong') });
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.json().status, 401);
    const query = await t.app.inject({ url: `/api/v1/account/info?token=${token}` });
    assert.equal(query.statusCode, 401, 'the Hellodialog scheme does not open the eSputnik mount');
  });

  test('Hello Customer: any /V1.0 path answers 401 for a bad key, case-insensitive scheme name', async () => {
    for (const url of ['/V1.0/EN/Campaign/c8dc5f94-a9e8-4743-8744-e66a73a7e724/Respondent/Add', '/V1.0/anything']) {
      const denied = await t.app.inject({ method: 'POST', url, payload: {} });
      assert.equal(denied.statusCode, 401);
      assert.equal(typeof denied.json().Message, 'string');
      const wrong = await t.app.inject({ method: 'POST', url, headers: basic('hh_wrong'), payload: {} });
      assert.equal(wrong.statusCode, 401);
    }
    const encoded = Buffer.from(`demo@example.com:${token}`).toString('base64');
    const known = await t.app.inject({ url: '/V1.0/EN/nothing-here', headers: { authorization: `basic ${encoded}` } });
    assert.equal(known.statusCode, 404, 'a valid key gets past authentication');
    assert.equal(typeof known.json().Message, 'string');
  });

  test('a key restricted to some surfaces is 401 on the others', async () => {
    const { business } = await testBusiness(t.core);
    const scoped = await createApiKey(t.core, { businessId: business.id, surfaces: ['hellodialog'] });
    assert.equal((await t.app.inject({ url: `/api/ping?token=${scoped.token}` })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/v1/business', headers: bearer(scoped.token) })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/v1/account/info', headers: basic(scoped.token) })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/V1.0/EN/x', headers: basic(scoped.token) })).statusCode, 401);
  });

  test('revocation takes effect on the next request', async () => {
    const { business } = await testBusiness(t.core);
    const key = await createApiKey(t.core, { businessId: business.id });
    assert.equal((await t.app.inject({ url: '/v1/business', headers: bearer(key.token) })).statusCode, 200);
    await revokeApiKey(t.core, key.prefix);
    assert.equal((await t.app.inject({ url: '/v1/business', headers: bearer(key.token) })).statusCode, 401);
  });

  test('each key sees only its own business', async () => {
    const a = await testBusiness(t.core, 'Tenant A');
    const b = await testBusiness(t.core, 'Tenant B');
    const seenByA = await t.app.inject({ url: '/v1/business', headers: bearer(a.token) });
    const seenByB = await t.app.inject({ url: '/v1/business', headers: bearer(b.token) });
    assert.equal(seenByA.json().name, 'Tenant A');
    assert.equal(seenByB.json().name, 'Tenant B');
    const keysOfA = (await t.app.inject({ url: '/v1/api_keys', headers: bearer(a.token) })).json().api_keys;
    assert.equal(keysOfA.length, 1);
    assert.ok(a.token.startsWith(keysOfA[0].prefix));
  });
});
