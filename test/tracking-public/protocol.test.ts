import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError } from '../audience/audience-client.js';
import { bearer } from '../support/app.js';
import { assertPublicError, assertReceived, BROWSER_ENCODINGS, newToken, ORIGIN, publicApp, visitor, type PublicApp } from './public-client.js';

/** What every public route shares: CORS, the public-id bearer, body labels, JSON errors. */
describe('public tracking protocol', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp();
  });
  after(() => t.close());

  const routes = [
    { method: 'POST' as const, path: '/v1/track/events' },
    { method: 'POST' as const, path: '/v1/track/sessions' },
    { method: 'POST' as const, path: '/v1/public/acks' },
    { method: 'POST' as const, path: '/v1/public/identifications' },
    { method: 'GET' as const, path: '/v1/public/businesses/PUBLIC' },
  ];

  test('a preflight from any origin is answered 204 with the allowed headers, methods and max age, without credentials', async () => {
    const v = await visitor(t);
    for (const { method, path } of routes) {
      for (const origin of [ORIGIN, 'http://localhost:3000']) {
        const res = await t.app.inject({
          method: 'OPTIONS',
          url: path.replace('PUBLIC', v.publicId),
          headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
        });
        assert.equal(res.statusCode, 204, `${path}: ${res.body}`);
        assert.equal(res.headers['access-control-allow-origin'], origin);
        assert.equal(res.headers['access-control-allow-headers'], 'authorization, content-type, accept');
        assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, PATCH, OPTIONS');
        assert.ok(Number(res.headers['access-control-max-age']) > 0);
        assert.equal(res.body, '');
      }
    }
    const noOrigin = await t.app.inject({ method: 'OPTIONS', url: '/v1/public/acks' });
    assert.equal(noOrigin.statusCode, 204);
    assert.equal(noOrigin.headers['access-control-allow-origin'], '*');
  });

  test('a missing, unknown or malformed public id is 401 with a JSON body and the CORS header, on every route', async () => {
    const v = await visitor(t);
    for (const { method, path } of routes) {
      const url = path.replace('PUBLIC', v.publicId);
      const body = method === 'POST' ? { session: newToken(), action: 'product.viewed' } : undefined;
      for (const credential of [null, 'zz-zzzzzzzzzzzzzz', v.publicId.toLowerCase() + 'x', '']) {
        assertPublicError(await v.send(method, url, body, { bearer: credential }), 401, 'unauthorized', null);
      }
      const basic = await t.app.inject({ method, url, headers: { origin: ORIGIN, authorization: `Basic ${Buffer.from(`x:${v.publicId}`).toString('base64')}` } });
      assert.equal(basic.statusCode, 401, basic.body);
    }
  });

  test('the secret API key is not a public id, and the public id opens no private route', async () => {
    const v = await visitor(t);
    for (const { method, path } of routes) {
      const body = method === 'POST' ? { session: newToken() } : undefined;
      assertPublicError(await v.send(method, path.replace('PUBLIC', v.publicId), body, { bearer: v.api.token }), 401, 'unauthorized');
    }
    for (const url of ['/v1/business', '/v1/profiles', '/v1/lists']) {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(v.publicId) });
      assertError({ status: res.statusCode, body: res.json(), text: res.body }, 401, 'unauthorized');
    }
    const create = await t.app.inject({ method: 'POST', url: '/v1/profiles', headers: bearer(v.publicId), payload: { email: 'a@example.com' } });
    assert.equal(create.statusCode, 401);
  });

  test('an unknown path or method under /v1/track and /v1/public is 404 in the public envelope, with CORS, with or without a public id', async () => {
    const v = await visitor(t);
    const unknown = [
      ['POST', '/v1/track/nothing'],
      ['GET', '/v1/track/events'],
      ['PATCH', '/v1/track/sessions'],
      ['GET', '/v1/track'],
      ['POST', '/v1/track/events/extra?x=1'],
      ['GET', '/v1/public/nothing'],
      ['POST', '/v1/public/businesses'],
      ['GET', '/v1/public/identifications'],
      ['PATCH', '/v1/public/acks'],
      ['GET', '/v1/public'],
    ] as const;
    for (const [method, url] of unknown) {
      for (const credential of [undefined, null, v.api.token]) {
        const res = await v.send(method, url, method === 'GET' ? undefined : { session: newToken() }, { bearer: credential });
        assertPublicError(res, 404, 'not_found', null);
        assert.equal(res.headers['access-control-allow-origin'], ORIGIN, `${method} ${url}`);
        assert.ok(!/api key/i.test(res.text), res.text);
      }
    }
    // The private surface keeps its own answers beside them.
    const privateUnknown = await t.app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(v.api.token) });
    assert.equal(privateUnknown.statusCode, 404, privateUnknown.body);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/nothing' })).statusCode, 401);
  });

  test('a JSON body is read whether labelled application/json or text/plain; other labels are 415 as JSON', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      assertReceived(await v.post('/v1/public/acks', { session: newToken(), utm_params: { utm_source: encoding } }, { encoding }));
    }
    const form = await v.post('/v1/public/acks', { session: newToken(), utm_params: { utm_source: 'form' } }, { encoding: 'form' });
    assertReceived(form);
    const xml = await t.app.inject({ method: 'POST', url: '/v1/public/acks', headers: { origin: ORIGIN, ...bearer(v.publicId), 'content-type': 'application/xml' }, payload: '<a/>' });
    assertPublicError({ status: xml.statusCode, body: xml.json(), text: xml.body, headers: xml.headers }, 415, 'invalid', 'body');
  });

  test('an unreadable body is 400 with a JSON body, whatever its label', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      assertPublicError(await v.post('/v1/public/acks', '{"session": ', { encoding }), 400, 'invalid', 'body');
      assertPublicError(await v.post('/v1/public/identifications', '[1, 2', { encoding }), 400, 'invalid', 'body');
    }
    assertPublicError(await v.post('/v1/public/acks', '"just a string"'), 422, 'invalid');
  });

  test('a body over 64 KiB is 413 as JSON', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      const res = await v.post('/v1/track/events', { session: newToken(), action: 'x', metadata: { big: 'x'.repeat(70 * 1024) } }, { encoding });
      assertPublicError(res, 413, 'invalid', 'body');
    }
  });

  test('an empty body (a keepalive fetch with nothing to say) reads as no parameters', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      assertReceived(await v.post('/v1/public/acks', '', { encoding }));
      const created = await v.post<{ id: string }>('/v1/track/sessions', '', { encoding });
      assert.equal(created.status, 200, created.text);
    }
  });

  test('the public routes are in the OpenAPI document with the public-id scheme, and the secret-key scheme is not theirs', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; responses?: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    assert.ok(doc.components.securitySchemes.hellotextPublic);
    for (const [path, method] of [
      ['/v1/track/events', 'post'],
      ['/v1/track/sessions', 'post'],
      ['/v1/public/acks', 'post'],
      ['/v1/public/identifications', 'post'],
      ['/v1/public/businesses/{id}', 'get'],
    ] as const) {
      const operation = doc.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} documented`);
      assert.deepEqual(operation.security, [{ hellotextPublic: [] }]);
      assert.ok(operation.responses?.['200'] && operation.responses['4XX'], JSON.stringify(operation.responses));
    }
    assert.ok(doc.paths['/tracker.js']?.get);
  });
});
