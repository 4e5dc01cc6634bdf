import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TransportError } from '../../src/api/http/transport-errors.js';
import { bearer, testApp, testBusiness, type TestApp } from '../support/app.js';

describe('shared HTTP conventions', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await testApp({
      config: { BODY_LIMIT_BYTES: '2048' },
      extend: (app) => {
        // Probes of the shared plumbing, registered on the real app before it is ready.
        app.post('/probe/echo', async (request) => ({ body: request.body, query: request.query }));
        app.get('/probe/echo', async (request) => ({ query: request.query }));
        app.get('/probe/boom', async () => {
          throw new Error('secret stack detail');
        });
        app.get('/probe/unauthorized', async () => {
          throw new TransportError('unauthorized', 'nope');
        });
      },
    });
    token = (await testBusiness(t.core)).token;
  });
  after(() => t.close());

  test('JSON and form bodies with bracket notation parse to the same object', async () => {
    const expected = {
      email: { work: 'ada@example.com' },
      metadata: { a: 'b' },
      lists: ['Greens', 'Blues'],
      address: { street: { name: 'Main', number: '1' } },
    };
    const json = await t.app.inject({ method: 'POST', url: '/probe/echo', payload: expected });
    assert.deepEqual(json.json().body, expected);
    const form = await t.app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email[work]=ada%40example.com&metadata[a]=b&lists[]=Greens&lists[]=Blues&address[street][name]=Main&address[street][number]=1',
    });
    assert.deepEqual(form.json().body, expected);
    const charset = await t.app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ a: 1 }),
    });
    assert.deepEqual(charset.json().body, { a: 1 });
  });

  test('query strings carry deep objects', async () => {
    const res = await t.app.inject({ url: '/probe/echo?condition[email]=ends-with&values[email]=acme.com&page=2' });
    assert.deepEqual(res.json().query, { condition: { email: 'ends-with' }, values: { email: 'acme.com' }, page: '2' });
  });

  test('prototype keys in brackets are dropped', async () => {
    const res = await t.app.inject({ url: '/probe/echo?__proto__[polluted]=yes&constructor[prototype][x]=1' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(res.statusCode, 200);
  });

  test('an empty JSON body reads as {}', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/probe/echo', headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().body, {});
  });

  test('malformed JSON is a 400 in the surface envelope, never a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/business',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    // No POST route there yet: the 404 comes first. Use the probe for the parser itself.
    assert.ok([400, 404].includes(res.statusCode));
    const probe = await t.app.inject({ method: 'POST', url: '/probe/echo', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    assert.equal(probe.statusCode, 400);
  });

  test('oversized bodies are 413 and unsupported content types 415', async () => {
    const big = await t.app.inject({ method: 'POST', url: '/probe/echo', payload: { text: 'x'.repeat(4096) } });
    assert.equal(big.statusCode, 400 + 13);
    const xml = await t.app.inject({ method: 'POST', url: '/probe/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.equal(xml.statusCode, 415);
  });

  test('Hellodialog ?method= override picks the route by the named method', async () => {
    const viaPost = await t.app.inject({ method: 'POST', url: `/api/ping?token=${token}&method=GET` });
    assert.equal(viaPost.statusCode, 200);
    assert.equal(typeof viaPost.json().account, 'string');
    const deleted = await t.app.inject({ method: 'GET', url: `/api/ping?token=${token}&method=DELETE` });
    assert.equal(deleted.statusCode, 404, 'there is no DELETE /api/ping');
    assert.equal(deleted.json().result.status, 'ERROR');
    const esputnik = await t.app.inject({
      method: 'GET',
      url: '/api/v1/account/info?method=DELETE',
      headers: { authorization: `Basic ${Buffer.from(`u:${token}`).toString('base64')}` },
    });
    assert.equal(esputnik.statusCode, 200, 'the eSputnik mount ignores the override');
  });

  test('unexpected failures answer 500 with a request id and no stack', async () => {
    const res = await t.app.inject({ url: '/probe/boom', headers: { 'x-request-id': 'trace-123' } });
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['x-request-id'], 'trace-123');
    assert.equal(res.json().request_id, 'trace-123');
    assert.doesNotMatch(res.body, /secret stack detail|at .*\.ts/);
  });

  test('every response carries a request id', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('unknown routes are 404 in each surface envelope', async () => {
    const v1 = await t.app.inject({ url: '/v1/nothing', headers: bearer(token) });
    assert.equal(v1.statusCode, 404);
    assert.equal(v1.json().errors[0].type, 'not_found');
    const hd = await t.app.inject({ url: `/api/nothing?token=${token}` });
    assert.equal(hd.statusCode, 404);
    assert.equal(hd.json().result.code, 404);
  });

  test('/metrics exposes request counts by route and status', async () => {
    await t.app.inject({ url: '/v1/business', headers: bearer(token) });
    const res = await t.app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /hellohub_http_requests_total\{method="GET",route="\/v1\/business",status="200"\} \d+/);
    assert.match(res.body, /hellohub_http_request_duration_seconds_bucket/);
  });

  test('/openapi.json documents every surface and /docs serves the reader', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json();
    assert.equal(spec.openapi.startsWith('3.'), true);
    for (const path of ['/v1/business', '/v1/api_keys', '/api/ping', '/api/v1/account/info']) assert.ok(spec.paths[path], `${path} documented`);
    const docs = await t.app.inject({ url: '/docs/' });
    assert.ok([200, 302].includes(docs.statusCode));
  });
});
