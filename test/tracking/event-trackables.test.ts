import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

interface EventJson {
  id: string;
  action: { name: string };
  amount: number | null;
  currency: string | null;
  profile: string | null;
  trackable: Record<string, unknown> | null;
}

async function latest(api: Api): Promise<EventJson> {
  const res = await api.get<{ events: EventJson[] }>('/attribution/events?limit=1');
  assert.equal(res.status, 200, res.text);
  const [event] = res.body.events;
  assert.ok(event);
  return event;
}

async function track(api: Api, body: Record<string, unknown>): Promise<EventJson> {
  const res = await api.post('/attribution/events', body);
  assert.equal(res.status, 201, res.text);
  return latest(api);
}

/** Events that name their object inline: by reference or sku, or with `*_parameters`. */
describe('event trackables', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('objects given as *_parameters are created with the event, owned by its profile', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile();
      const installed = await track(api, { action: 'app.installed', profile, app_parameters: { name: 'Beauty & Care' } });
      assert.equal(installed.trackable?.type, 'app');
      assert.equal((await api.get<Record<string, unknown>>(`/attribution/apps/${String(installed.trackable?.id)}`)).body.name, 'Beauty & Care');

      const completed = await track(api, { action: 'form.completed', profile, form_parameters: { name: 'Sign-Up Form' } });
      assert.equal(completed.trackable?.name, 'Sign-Up Form');
      const redeemed = await track(api, {
        action: 'coupon.redeemed',
        profile,
        coupon_parameters: { code: 'SALE', description: 'Summer sale', destination_url: 'https://shop.example/redeem/SALE' },
      });
      assert.equal(redeemed.trackable?.code, 'SALE');

      const placed = await track(api, {
        action: 'order.placed',
        profile,
        order_parameters: { reference: 'A-1', items: [{ product: { name: 'Yeezy', sku: 'YZ-1', price: { amount: '220.00', currency: 'USD' } }, quantity: 2 }] },
      });
      assert.equal(placed.trackable?.type, 'order');
      assert.deepEqual([placed.amount, placed.currency], [440, 'USD'], 'the event inherits the order total');
      const order = (await api.get<Record<string, unknown>>(`/attribution/orders/${String(placed.trackable?.id)}`)).body;
      assert.equal(order.reference, 'A-1');
      assertError(await api.post('/attribution/events', { action: 'order.placed', profile, order_parameters: { delivery: 'drone' } }), 422, 'invalid');
    }
  });

  test('products are found by id, reference or sku; a variant by its sku; product_parameters create once', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    const product = (await api.post<{ id: string }>('/attribution/products', { name: 'Yeezy', reference: 'REF-1', sku: 'SKU-1', price: { amount: 220, currency: 'USD' }, variants: [{ name: 'Yeezy 42', sku: 'SKU-42', price: { amount: 230, currency: 'USD' } }] })).body;
    for (const ref of [product.id, 'REF-1', 'SKU-1']) {
      const viewed = await track(api, { action: 'product.viewed', profile, product: ref });
      assert.deepEqual([viewed.trackable?.type, viewed.trackable?.id, viewed.amount], ['product', product.id, 220], ref);
    }
    const variant = await track(api, { action: 'product.purchased', profile, product: 'SKU-42' });
    assert.deepEqual([variant.trackable?.type, variant.amount], ['product_variant', 230]);
    assertError(await api.post('/attribution/events', { action: 'product.viewed', profile, product: 'NOPE' }), 404, 'not_found', 'product');

    const first = await track(api, { action: 'product.viewed', profile, product_parameters: { name: 'Boost', sku: 'B-1', price: { amount: 99, currency: 'EUR' } } });
    const again = await track(api, { action: 'product.viewed', profile, product_parameters: { name: 'Boost', sku: 'B-1', price: { amount: 99, currency: 'EUR' } } });
    assert.equal(first.trackable?.id, again.trackable?.id, 'the same sku is the same product');
    const withVariant = await track(api, { action: 'product.purchased', profile, product: 'B-1', product_variant_parameters: { name: 'Boost red', sku: 'B-1-R' } });
    assert.equal(withVariant.trackable?.type, 'product_variant');
    assertError(await api.post('/attribution/events', { action: 'product.purchased', profile, product_variant_parameters: { name: 'Orphan' } }), 400, 'parameter_missing', 'product');
  });

  test('cart.added creates a cart for the session when none is given; cart.removed takes items out; products are required', async () => {
    const api = await tenant(t);
    await api.post('/attribution/products', { name: 'Socks', sku: 'SOCK', price: { amount: 5, currency: 'USD' } });
    const session = 'cart-session-0000000001';
    assertError(await api.post('/attribution/events', { action: 'cart.added', session }), 400, 'parameter_missing', 'products');
    const added = await track(api, { action: 'cart.added', session, products: ['SOCK', { product: 'SOCK', quantity: 2 }] });
    assert.equal(added.trackable?.type, 'cart');
    assert.equal(added.amount, 15);
    const cartId = String(added.trackable?.id);
    const cart = (await api.get<{ items: Array<{ quantity: number }>; session: string | null }>(`/attribution/carts/${cartId}`)).body;
    assert.deepEqual(
      cart.items.map((item) => item.quantity),
      [3],
    );
    assert.ok(cart.session);
    await track(api, { action: 'cart.removed', session, cart: cartId, products: [{ product: 'SOCK', quantity: 1 }] });
    const after = (await api.get<{ items: Array<{ quantity: number }> }>(`/attribution/carts/${cartId}`)).body;
    assert.deepEqual(
      after.items.map((item) => item.quantity),
      [2],
    );
    const abandoned = await track(api, { action: 'cart.abandoned', session, cart: cartId });
    assert.deepEqual(abandoned.trackable?.product_ids, [String(cart.items.length === 1 ? (await api.get<{ items: Array<{ product: string }> }>(`/attribution/carts/${cartId}`)).body.items[0]?.product : '')]);
    // Attaching the session gives the cart to the profile.
    const profile = await api.createProfile();
    assert.equal((await api.patch(`/sessions/${session}`, { profile })).status, 200);
    assert.equal((await api.get<{ profile: string }>(`/attribution/carts/${cartId}`)).body.profile, profile);
    // Another profile's events move nothing in that cart; its own do.
    const other = await api.createProfile();
    assertError(await api.post('/attribution/events', { action: 'cart.added', profile: other, cart: cartId, products: ['SOCK'] }), 422, 'invalid', 'cart');
    assert.equal((await track(api, { action: 'cart.added', profile, cart: cartId, products: ['SOCK'] })).amount, 5);
  });

  test("the products a cart event moved show in the profile's activity trail, and stay that event's", async () => {
    const api = await tenant(t);
    await api.post('/attribution/products', { name: 'Socks', sku: 'SOCK', price: { amount: 5, currency: 'USD' } });
    await api.post('/attribution/products', { name: 'Hat', reference: 'HAT-1', price: { amount: 20, currency: 'USD' } });
    const profile = await api.createProfile();
    const added = await track(api, { action: 'cart.added', profile, products: [{ product: 'SOCK', quantity: 2 }, 'HAT-1'] });
    await track(api, { action: 'cart.removed', profile, cart: String(added.trackable?.id), products: [{ product: 'SOCK', quantity: 1 }] });
    await track(api, { action: 'cart.abandoned', profile, cart: String(added.trackable?.id) });
    // What it moved stays what it moved: the event cannot become another action's.
    assertError(await api.patch(`/attribution/events/${added.id}`, { action: 'cart.abandoned' }), 422, 'invalid', 'action');
    const trail = await api.get<{ activity: Array<{ kind: string; data: Record<string, unknown> }> }>(`/profiles/${profile}/activity`);
    assert.equal(trail.status, 200, trail.text);
    const events = trail.body.activity.filter((entry) => entry.kind === 'event').map((entry) => entry.data);
    assert.deepEqual(events, [
      { action: 'cart.abandoned', trackable: 'cart' },
      { action: 'cart.removed', trackable: 'cart', products: [{ name: 'Socks', sku: 'SOCK', quantity: 1 }] },
      {
        action: 'cart.added',
        trackable: 'cart',
        products: [
          { name: 'Socks', sku: 'SOCK', quantity: 2 },
          { name: 'Hat', sku: null, quantity: 1 },
        ],
      },
    ]);
  });
});
