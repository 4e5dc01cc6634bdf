import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBusiness } from '../../src/core/business/businesses.service.js';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { createSession } from '../../src/core/tracking/sessions.service.js';
import { assertPublicError, assertReceived, BROWSER_ENCODINGS, newToken, ORIGIN, publicApp, visitor, type PublicApp } from './public-client.js';

interface PublicBusinessJson {
  id: string;
  country: { code: string; prefix: string | null };
  locale: string;
  features: Record<string, boolean>;
  webchat: null;
  whatsapp: null;
  whitelist: string;
  style_url: null;
}

/** POST /v1/track/sessions, POST /v1/public/acks and GET /v1/public/businesses/{public id}. */
describe('public sessions, acks and business', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp();
  });
  after(() => t.close());

  test('POST /v1/track/sessions answers a new session token of the business, made by the server', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      const res = await v.post<{ id: string }>('/v1/track/sessions', {}, { encoding });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body), ['id']);
      assert.match(res.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
      const stored = await v.session(res.body.id);
      assert.equal(stored?.source, 'client');
      assert.equal(stored?.profile_id, null);
    }
    const bare = await v.post<{ id: string }>('/v1/track/sessions');
    assert.equal(bare.status, 200);
    const again = await v.post<{ id: string }>('/v1/track/sessions');
    assert.notEqual(again.body.id, bare.body.id);
  });

  test('an ack records the first sight and UTM parameters of a client token, once', async () => {
    for (const encoding of BROWSER_ENCODINGS) {
      const v = await visitor(t);
      const token = newToken();
      const first = await v.post('/v1/public/acks', { session: token, utm_params: { utm_source: 'newsletter', utm_campaign: 'spring', utm_term: 42 }, at: '2026-01-15T11:00:00Z' }, { encoding });
      assertReceived(first);
      const seen = await v.session(token);
      assert.ok(seen);
      assert.equal(seen.first_seen_at, t.clock.seconds, 'the server time, not the client one');
      assert.deepEqual(JSON.parse(seen.utm ?? 'null'), { utm_source: 'newsletter', utm_campaign: 'spring', utm_term: '42' });
      assert.equal(seen.source, 'client');

      t.clock.tick(60);
      assertReceived(await v.post('/v1/public/acks', { session: token, utm_params: { utm_source: 'other' } }, { encoding }));
      const later = await v.session(token);
      assert.equal(later?.first_seen_at, seen.first_seen_at);
      assert.equal(later?.utm, seen.utm, 'a later ack changes nothing');
    }
  });

  test('an ack of a short-link session (a server-made token) marks that session seen', async () => {
    const v = await visitor(t);
    const link = await createSession(forBusiness(t.core, v.businessId), { source: 'link' });
    assertReceived(await v.post('/v1/public/acks', { session: link.uuid, utm_params: {} }));
    const seen = await v.session(link.uuid);
    assert.equal(seen?.id, link.id);
    assert.equal(seen?.source, 'link');
    assert.equal(seen?.first_seen_at, t.clock.seconds);
    assert.equal(seen?.utm, null, 'no UTM parameters, nothing stored');
  });

  test('an ack without a session is accepted and ignored', async () => {
    const v = await visitor(t);
    for (const body of [{}, { utm_params: { utm_source: 'x' } }, { session: '', at: 'now' }, { session: null }]) assertReceived(await v.post('/v1/public/acks', body));
  });

  test('ack errors: a malformed session token, a malformed UTM hash', async () => {
    const v = await visitor(t);
    assertPublicError(await v.post('/v1/public/acks', { session: 'short' }), 422, 'invalid', 'session');
    assertPublicError(await v.post('/v1/public/acks', { session: 'zz-zzzzz' }), 422, 'invalid', 'session');
    assertPublicError(await v.post('/v1/public/acks', { session: 'x'.repeat(65) }), 422, 'invalid', 'session');
    assertPublicError(await v.post('/v1/public/acks', { session: { a: 1 } }), 422, 'invalid', 'session');
    assertPublicError(await v.post('/v1/public/acks', { session: newToken(), utm_params: 'utm_source=x' }), 422, 'invalid', 'utm_params');
    assertPublicError(await v.post('/v1/public/acks', { session: newToken(), utm_params: { utm_source: { nested: true } } }), 422, 'invalid', 'utm_params[utm_source]');
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`utm_${i}`, 'x']));
    assertPublicError(await v.post('/v1/public/acks', { session: newToken(), utm_params: many }), 422, 'invalid', 'utm_params');
  });

  test("a session's public id is not accepted from a browser: only its token", async () => {
    const v = await visitor(t);
    const session = await createSession(forBusiness(t.core, v.businessId), { source: 'link' });
    const publicId = t.ids.encode('session', session.id);
    assertPublicError(await v.post('/v1/public/acks', { session: publicId }), 422, 'invalid', 'session');
    assert.equal((await v.session(session.uuid))?.first_seen_at, null);
  });

  test('GET /v1/public/businesses/{public id}: country with calling code, locale, features, and the documented nulls', async () => {
    const v = await visitor(t);
    const res = await v.get<PublicBusinessJson>(`/v1/public/businesses/${v.publicId}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    assert.deepEqual(res.body, {
      id: v.publicId,
      country: { code: 'NL', prefix: '+31' },
      locale: 'nl',
      features: { tracking: true, identifications: true, forms: false, webchat: false },
      webchat: null,
      whatsapp: null,
      whitelist: 'disabled',
      style_url: null,
    });
    assert.ok(!JSON.stringify(res.body).includes(v.api.token.slice(0, 8)), 'nothing secret');

    // hellotext.js sends its GET with a JSON content type (and a misspelt Accept), no body.
    const asTheLibrary = await t.app.inject({
      method: 'GET',
      url: `/v1/public/businesses/${v.publicId}`,
      headers: { authorization: `Bearer ${v.publicId}`, accept: 'application.json', 'content-type': 'application/json' },
    });
    assert.equal(asTheLibrary.statusCode, 200, asTheLibrary.body);
    assert.deepEqual(asTheLibrary.json(), res.body);
  });

  test('the public business of other countries: Uruguay is +598 and es', async () => {
    const { business } = await createBusiness(t.core, { name: 'Tienda', country: 'UY', currency: 'UYU', timezone: 'America/Montevideo' });
    const res = await t.app.inject({ method: 'GET', url: `/v1/public/businesses/${business.publicId}`, headers: { authorization: `Bearer ${business.publicId}` } });
    const body = res.json() as PublicBusinessJson;
    assert.deepEqual(body.country, { code: 'UY', prefix: '+598' });
    assert.equal(body.locale, 'es');
  });

  test("another business's public id in the path is 404, as is an id that names none", async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    assertPublicError(await a.get(`/v1/public/businesses/${b.publicId}`), 404, 'not_found');
    assertPublicError(await a.get('/v1/public/businesses/zz-zzzzz'), 404, 'not_found');
    assert.equal((await b.get(`/v1/public/businesses/${b.publicId}`)).status, 200, 'with its own public id, B is found');
  });

  test("tenant isolation: business A's session token sent with business B's public id is a separate session of B", async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    const token = newToken();
    assertReceived(await a.post('/v1/public/acks', { session: token, utm_params: { utm_source: 'a' } }));
    t.clock.tick(5);
    assertReceived(await b.post('/v1/public/acks', { session: token, utm_params: { utm_source: 'b' } }));
    const ofA = await a.session(token);
    const ofB = await b.session(token);
    assert.ok(ofA && ofB);
    assert.notEqual(ofA.id, ofB.id);
    assert.equal(ofA.business_id, a.businessId);
    assert.equal(ofB.business_id, b.businessId);
    assert.deepEqual(JSON.parse(ofA.utm ?? '{}'), { utm_source: 'a' });
    assert.deepEqual(JSON.parse(ofB.utm ?? '{}'), { utm_source: 'b' });
    assert.equal(ofB.first_seen_at, ofA.first_seen_at === null ? null : ofA.first_seen_at + 5);
  });
});
