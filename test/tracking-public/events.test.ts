import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { findEvent } from '../../src/core/tracking/events.repository.js';
import { createSession } from '../../src/core/tracking/sessions.service.js';
import { assertPublicError, assertReceived, BROWSER_ENCODINGS, newToken, publicApp, visitor, type PublicApp, type Visitor } from './public-client.js';

interface EventJson {
  id: string;
  action: { name: string };
  amount: number | null;
  currency: string | null;
  metadata: Record<string, unknown>;
  profile: string | null;
  session: string | null;
  trackable: { id: string; type: string } | null;
  tracked_at: string;
  url: string | null;
}

/** POST /v1/track/events: the browser's events, on the same ingestion as /v1/attribution/events. */
describe('public event tracking', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp();
  });
  after(() => t.close());

  async function customAction(v: Visitor, name: string): Promise<void> {
    const res = await v.api.post('/attribution/actions', { name });
    assert.equal(res.status, 201, res.text);
  }

  /** The session's events through the private API, newest first. */
  async function eventsOf(v: Visitor, token: string): Promise<EventJson[]> {
    const res = await v.api.get<{ events: EventJson[] }>(`/attribution/events?session=${token}`);
    assert.equal(res.status, 200, res.text);
    return res.body.events;
  }

  const page = { url: 'https://shop.example.com/shoes?utm_source=news', title: 'Shoes', path: '/shoes' };

  test('200 with exactly {"status":"received"}; the event is stored with its session, url, money and the page it came from', async () => {
    for (const encoding of BROWSER_ENCODINGS) {
      const v = await visitor(t);
      await customAction(v, 'page.visited');
      const token = newToken();
      const res = await v.post(
        '/v1/track/events',
        {
          session: token,
          action: 'page.visited',
          page,
          utm_params: { utm_source: 'news' },
          user_parameters: { plan: 'gold' },
          device: { platform: 'web' },
          amount: '19.90',
          currency: 'eur',
          metadata: { color: 'red' },
          tracked_at: t.clock.seconds - 30,
        },
        { encoding },
      );
      assertReceived(res);
      assert.equal(res.text, '{"status":"received"}');

      const [event, more] = await eventsOf(v, token);
      assert.ok(event && !more);
      assert.equal(event.action.name, 'page.visited');
      assert.equal(event.url, page.url);
      assert.equal(event.amount, 19.9);
      assert.equal(event.currency, 'EUR');
      assert.deepEqual(event.metadata, { color: 'red' });
      assert.equal(event.tracked_at, String(t.clock.seconds - 30));
      assert.equal(event.profile, null);
      const session = await v.session(token);
      assert.equal(event.session, t.ids.encode('session', session?.id ?? 0));

      const stored = await findEvent(forBusiness(t.core, v.businessId).tenant, t.ids.decode('event', event.id) ?? 0);
      assert.deepEqual(JSON.parse(stored?.details ?? '{}'), { page, utm_params: { utm_source: 'news' }, device: { platform: 'web' }, user_parameters: { plan: 'gold' } });
    }
  });

  test('object and object_type name the trackable by id; the Hellotext spelling works too', async () => {
    const v = await visitor(t);
    const app = await v.api.post<{ id: string }>('/attribution/apps', { name: 'iOS' });
    assert.equal(app.status, 201, app.text);
    const token = newToken();
    assertReceived(await v.post('/v1/track/events', { session: token, action: 'app.installed', object: app.body.id, object_type: 'app' }));
    assertReceived(await v.post('/v1/track/events', { session: token, action: 'app.removed', app: app.body.id }));
    const events = await eventsOf(v, token);
    assert.deepEqual(
      events.map((event) => [event.action.name, event.trackable?.type, event.trackable?.id]),
      [
        ['app.removed', 'app', app.body.id],
        ['app.installed', 'app', app.body.id],
      ],
    );
  });

  test('object_parameters give the trackable inline, as app_parameters does', async () => {
    const v = await visitor(t);
    for (const body of [{ object_type: 'app', object_parameters: { name: 'Android' } }, { app_parameters: { name: 'Windows' } }]) {
      const token = newToken();
      assertReceived(await v.post('/v1/track/events', { session: token, action: 'app.installed', ...body }));
      const [created] = await eventsOf(v, token);
      assert.equal(created?.trackable?.type, 'app', JSON.stringify(body));
    }
  });

  test('product.viewed with the product inline, then by its reference as object', async () => {
    const v = await visitor(t);
    const token = newToken();
    const product = { reference: 'SKU-1', name: 'Shoe', price: 49.9 };
    assertReceived(await v.post('/v1/track/events', { session: token, action: 'product.viewed', object_type: 'product', object_parameters: product, page }));
    assertReceived(await v.post('/v1/track/events', { session: token, action: 'product.viewed', object_type: 'product', object: 'SKU-1' }));
    const events = await eventsOf(v, token);
    assert.equal(events.length, 2);
    const [second, first] = events;
    assert.equal(first?.trackable?.type, 'product');
    assert.equal(second?.trackable?.id, first?.trackable?.id, 'the product made by the first event, found by reference');
  });

  test('a session acked, then tracked, then identified: its events move to the profile', async () => {
    const v = await visitor(t);
    await customAction(v, 'page.visited');
    const link = await createSession(forBusiness(t.core, v.businessId), { source: 'link' });
    assertReceived(await v.post('/v1/public/acks', { session: link.uuid, utm_params: { utm_source: 'sms' } }));
    assertReceived(await v.post('/v1/track/events', { session: link.uuid, action: 'page.visited', page }));
    assert.equal((await eventsOf(v, link.uuid))[0]?.session, t.ids.encode('session', link.id), "the short link's own session");

    assertReceived(await v.post('/v1/public/identifications', { session: link.uuid, email: 'visitor@example.com' }));
    assertReceived(await v.post('/v1/track/events', { session: link.uuid, action: 'page.visited', page }));
    const profileId = (await v.session(link.uuid))?.profile_id;
    assert.ok(profileId);
    const events = await eventsOf(v, link.uuid);
    assert.equal(events.length, 2);
    for (const event of events) assert.equal(event.profile, t.ids.encode('profile', profileId));
  });

  test('errors, each as JSON: no session (400), a malformed one (422), a profile named (422), no action (400), an unknown one (422), object errors', async () => {
    const v = await visitor(t);
    await customAction(v, 'page.visited');
    for (const encoding of BROWSER_ENCODINGS) {
      const send = (body: Record<string, unknown>) => v.post('/v1/track/events', body, { encoding });
      assertPublicError(await send({ action: 'page.visited' }), 400, 'parameter_missing', 'session');
      assertPublicError(await send({ session: '', action: 'page.visited' }), 400, 'parameter_missing', 'session');
      assertPublicError(await send({ session: 'zz-zzzzz', action: 'page.visited' }), 422, 'invalid', 'session');
      const profile = await v.api.createProfile({ email: `p-${encoding}@example.com` });
      assertPublicError(await send({ session: newToken(), action: 'page.visited', profile }), 422, 'invalid', 'profile');
      assertPublicError(await send({ session: newToken(), action: 'page.visited', profile_id: profile }), 422, 'invalid', 'profile_id');
      assertPublicError(await send({ session: newToken() }), 400, 'parameter_missing', 'action');
      assertPublicError(await send({ session: newToken(), action: 'never.defined' }), 422, 'invalid', 'action');
      assertPublicError(await send({ session: newToken(), action: 'page.visited', object: 'zz-zzzzz' }), 400, 'parameter_missing', 'object_type');
      assertPublicError(await send({ session: newToken(), action: 'page.visited', object: 'zz-zzzzz', object_type: 'planet' }), 422, 'invalid', 'object_type');
      assertPublicError(await send({ session: newToken(), action: 'app.installed', object: 'zz-zzzzz', object_type: 'app' }), 404, 'not_found', 'app');
      assertPublicError(await send({ session: newToken(), action: 'app.installed', object: 'zz-zzzzz', object_type: 'app', app: 'zz-zzzzz' }), 422, 'ambiguous_parameter', 'object');
      assertPublicError(await send({ session: newToken(), action: 'page.visited', page: 'https://x' }), 422, 'invalid', 'page');
      assertPublicError(await send({ session: newToken(), action: 'page.visited', amount: 'lots' }), 422, 'invalid', 'amount');
    }
    assert.deepEqual((await v.api.get<{ events: unknown[] }>('/attribution/events')).body.events, [], 'nothing was tracked');
  });

  test("a browser's session is a client session; it names only its own carts and orders", async () => {
    const v = await visitor(t);
    const mine = newToken();
    const other = newToken();
    await v.api.post('/attribution/products', { name: 'Socks', sku: 'SOCK', price: { amount: 5, currency: 'USD' } });
    assertReceived(await v.post('/v1/track/events', { session: mine, action: 'cart.added', products: ['SOCK'] }));
    const [added] = await eventsOf(v, mine);
    const cart = added?.trackable?.id;
    assert.ok(cart);
    assert.equal((await v.session(mine))?.source, 'client');
    // Another visitor who learned the cart id cannot change or abandon it.
    assertPublicError(await v.post('/v1/track/events', { session: other, action: 'cart.removed', object: cart, object_type: 'cart', products: ['SOCK'] }), 404, 'not_found', 'cart');
    assertPublicError(await v.post('/v1/track/events', { session: other, action: 'cart.abandoned', object: cart, object_type: 'cart' }), 404, 'not_found', 'cart');
    assertReceived(await v.post('/v1/track/events', { session: mine, action: 'cart.abandoned', object: cart, object_type: 'cart' }));
    const order = await v.api.post<{ id: string }>('/attribution/orders', { reference: 'O-1' });
    assertPublicError(await v.post('/v1/track/events', { session: mine, action: 'order.placed', object: order.body.id, object_type: 'order' }), 404, 'not_found', 'order');
  });

  test('a browser creates no coupon or refund, and its parameters name no profile, session or order: 422 on that parameter, nothing stored', async () => {
    const v = await visitor(t);
    // The victim: a signed-in visitor with a session and an order of their own.
    const victimToken = newToken();
    assertReceived(await v.post('/v1/public/identifications', { session: victimToken, email: 'victim@example.com' }));
    const victim = t.ids.encode('profile', (await v.session(victimToken))?.profile_id ?? 0);
    const victimOrder = await v.api.post<{ id: string }>('/attribution/orders', { reference: 'V-1', session: victimToken });
    assert.equal(victimOrder.status, 201, victimOrder.text);
    const victimSession = t.ids.encode('session', (await v.session(victimToken))?.id ?? 0);
    const item = { product: { name: 'TV', sku: 'TV-1', price: 999 }, quantity: 1 };
    for (const encoding of BROWSER_ENCODINGS) {
      const send = (body: Record<string, unknown>) => v.post('/v1/track/events', { session: newToken(), ...body }, { encoding });
      const coupon = { code: 'FREE', description: 'Free', destination_url: 'https://evil.example.com/login' };
      assertPublicError(await send({ action: 'coupon.redeemed', coupon_parameters: coupon }), 422, 'invalid', 'coupon_parameters');
      assertPublicError(await send({ action: 'coupon.redeemed', object_type: 'coupon', object_parameters: coupon }), 422, 'invalid', 'object_parameters');
      assertPublicError(await send({ action: 'refund.requested', refund_parameters: { order: victimOrder.body.id, total: 10 } }), 422, 'invalid', 'refund_parameters');
      assertPublicError(await send({ action: 'refund.received', object_type: 'refund', object_parameters: { total: 10 } }), 422, 'invalid', 'object_parameters');
      for (const key of ['profile', 'profile_id', 'session', 'session_id', 'order']) {
        const owner = key.startsWith('profile') ? victim : key.startsWith('session') ? victimToken : victimOrder.body.id;
        assertPublicError(await send({ action: 'order.placed', order_parameters: { items: [item], [key]: owner } }), 422, 'invalid', `order_parameters[${key}]`);
        assertPublicError(await send({ action: 'order.placed', object_type: 'order', object_parameters: { items: [item], [key]: owner } }), 422, 'invalid', `object_parameters[${key}]`);
        assertPublicError(await send({ action: 'cart.added', cart_parameters: { [key]: owner }, products: [item] }), 422, 'invalid', `cart_parameters[${key}]`);
        assertPublicError(await send({ action: 'product.viewed', product_parameters: { name: 'TV', [key]: owner } }), 422, 'invalid', `product_parameters[${key}]`);
        assertPublicError(await send({ action: 'app.installed', app_parameters: { name: 'iOS', [key]: owner } }), 422, 'invalid', `app_parameters[${key}]`);
      }
    }
    const listed = async (path: string, key: string) => ((await v.api.get<Record<string, unknown[]>>(path)).body[key] ?? []).length;
    assert.equal(await listed('/coupons', 'coupons'), 0, 'no coupon');
    assert.equal(await listed('/attribution/refunds', 'refunds'), 0, 'no refund');
    assert.equal(await listed('/attribution/orders', 'orders'), 1, "only the victim's own order");
    assert.equal(await listed('/attribution/carts', 'carts'), 0, 'no cart');
    assert.equal(await listed('/attribution/products', 'products'), 0, 'no product');

    // Without the owner keys the order is the browser's own: its session, no profile.
    const mine = newToken();
    assertReceived(await v.post('/v1/track/events', { session: mine, action: 'order.placed', order_parameters: { items: [item] } }));
    const [placed] = await eventsOf(v, mine);
    const order = await v.api.get<{ profile: string | null; session: string | null }>(`/attribution/orders/${placed?.trackable?.id ?? ''}`);
    assert.equal(order.status, 200, order.text);
    assert.equal(order.body.profile, null);
    assert.equal(order.body.session, t.ids.encode('session', (await v.session(mine))?.id ?? 0));
    assert.notEqual(order.body.session, victimSession);
  });

  test("tenant isolation: A's token with B's public id tracks into a session of B; A's objects are not found from B", async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    await customAction(a, 'page.visited');
    await customAction(b, 'page.visited');
    const token = newToken();
    assertReceived(await a.post('/v1/track/events', { session: token, action: 'page.visited' }));
    assertReceived(await b.post('/v1/track/events', { session: token, action: 'page.visited' }));
    assert.equal((await eventsOf(a, token)).length, 1);
    assert.equal((await eventsOf(b, token)).length, 1);
    assert.notEqual((await a.session(token))?.id, (await b.session(token))?.id);

    const appOfA = await a.api.post<{ id: string }>('/attribution/apps', { name: 'A app' });
    assertPublicError(await b.post('/v1/track/events', { session: token, action: 'app.installed', object: appOfA.body.id, object_type: 'app' }), 404, 'not_found', 'app');
  });
});
