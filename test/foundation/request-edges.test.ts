import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, bearer, testApp, testBusiness, type TestApp } from '../support/app.js';

describe('request edges', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await testApp({ extend: (app) => app.post('/probe/echo', async (request) => ({ body: request.body })) });
    token = (await testBusiness(t.core)).token;
  });
  after(() => t.close());

  test('the method override never reaches the eSputnik mount, however the path is encoded', async () => {
    const encoded = await t.app.inject({ method: 'POST', url: '/api/%761/account/info?method=GET', headers: basic(token) });
    assert.equal(encoded.statusCode, 404, 'POST stays POST under /api/v1');
    const plain = await t.app.inject({ method: 'GET', url: `/api/ping?token=${token}&method=GET&method=DELETE` });
    assert.equal(plain.statusCode, 200, 'the first method wins');
  });

  test('query strings and forms past the parser limits are 400 in the surface envelope, never reshaped', async () => {
    const deep = `a${'[b]'.repeat(12)}=1`;
    const query = await t.app.inject({ url: `/v1/profiles?${deep}`, headers: bearer(token) });
    assert.equal(query.statusCode, 400);
    assert.equal(query.json().errors[0].type, 'invalid');
    const many = Array.from({ length: 10_001 }, () => 'lists[]=x').join('&');
    const form = await t.app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: many,
    });
    assert.equal(form.statusCode, 400);
    const fits = await t.app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: Array.from({ length: 2000 }, (_, i) => `lists[]=${i}`).join('&'),
    });
    assert.equal(fits.statusCode, 200);
    assert.ok(Array.isArray(fits.json().body.lists), 'a long list stays an array');
  });

  test('an empty limit is the default page size', async () => {
    const res = await t.app.inject({ url: '/v1/api_keys?limit=&starting_after=', headers: bearer(token) });
    assert.equal(res.statusCode, 200);
    for (const limit of ['0x10', ' 5', '1.5']) {
      const bad = await t.app.inject({ url: `/v1/api_keys?limit=${encodeURIComponent(limit)}`, headers: bearer(token) });
      assert.equal(bad.statusCode, 422, limit);
    }
  });

  test('a bodiless POST is a request without parameters', async () => {
    const profile = await t.app.inject({ method: 'POST', url: '/v1/profiles', headers: bearer(token) });
    assert.equal(profile.statusCode, 201);
    const list = await t.app.inject({ method: 'POST', url: '/v1/lists', headers: bearer(token) });
    assert.equal(list.statusCode, 400);
    assert.equal(list.json().errors[0].type, 'parameter_missing');
  });
});
