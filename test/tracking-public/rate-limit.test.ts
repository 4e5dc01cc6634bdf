import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertPublicError, assertReceived, newToken, publicApp, visitor, type Answer, type PublicApp } from './public-client.js';

function assertLimited(res: Answer, retryAfter: number): void {
  assertPublicError(res, 429, 'rate_limited', null);
  assert.equal(res.headers['retry-after'], String(retryAfter));
}

/** Token buckets per client address and per session, with small configured limits. */
describe('public tracking rate limits', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp({
      TRACKING_RATE_IP_BURST: '5',
      TRACKING_RATE_IP_PER_MINUTE: '60',
      TRACKING_RATE_SESSION_BURST: '3',
      TRACKING_RATE_SESSION_PER_MINUTE: '6',
    });
  });
  after(() => t.close());

  test('past its burst an address gets 429 with Retry-After and a JSON body; it refills at the configured rate', async () => {
    const v = await visitor(t);
    const ip = '198.51.100.1';
    for (let i = 0; i < 5; i++) assertReceived(await v.post('/v1/public/acks', { session: newToken() }, { ip }));
    assertLimited(await v.post('/v1/public/acks', { session: newToken() }, { ip }), 1);
    assertLimited(await v.get(`/v1/public/businesses/${v.publicId}`, { ip }), 1);
    assertReceived(await v.post('/v1/public/acks', { session: newToken() }, { ip: '198.51.100.2' }));

    t.clock.tick(1);
    assertReceived(await v.post('/v1/public/acks', { session: newToken() }, { ip }));
    assertLimited(await v.post('/v1/public/acks', { session: newToken() }, { ip }), 1);
    t.clock.tick(60);
    for (let i = 0; i < 5; i++) assertReceived(await v.post('/v1/public/acks', { session: newToken() }, { ip }));
    assertLimited(await v.post('/v1/public/acks', {}, { ip }), 1);
  });

  test('unauthenticated requests use up the address too; preflights and the script do not', async () => {
    const v = await visitor(t);
    const ip = '198.51.100.3';
    for (let i = 0; i < 5; i++) assertPublicError(await v.post('/v1/public/acks', {}, { ip, bearer: 'zz-zzzzzzzz' }), 401, 'unauthorized');
    assertLimited(await v.post('/v1/public/acks', {}, { ip }), 1);
    for (let i = 0; i < 10; i++) {
      const preflight = await t.app.inject({ method: 'OPTIONS', url: '/v1/track/events', remoteAddress: ip, headers: { origin: 'https://a.example' } });
      assert.equal(preflight.statusCode, 204);
      assert.equal((await t.app.inject({ method: 'GET', url: '/tracker.js', remoteAddress: ip })).statusCode, 200);
    }
  });

  test('past its burst a session gets 429 from any address; other sessions, and the same token at another business, do not', async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    const token = newToken();
    const ip = (i: number) => `192.0.2.${i + 10}`;
    for (let i = 0; i < 3; i++) assertReceived(await a.post('/v1/public/acks', { session: token }, { ip: ip(i) }));
    assertLimited(await a.post('/v1/public/acks', { session: token }, { ip: ip(3) }), 10);
    assertLimited(await a.post('/v1/public/identifications', { session: token, email: 'x@example.com' }, { ip: ip(4) }), 10);
    assertReceived(await a.post('/v1/public/acks', { session: newToken() }, { ip: ip(5) }));
    assertReceived(await b.post('/v1/public/acks', { session: token }, { ip: ip(6) }));

    t.clock.tick(10);
    assertReceived(await a.post('/v1/public/acks', { session: token }, { ip: ip(7) }));
    assertLimited(await a.post('/v1/public/acks', { session: token }, { ip: ip(8) }), 10);
  });
});
