import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, shop, type CartJson, type OrderJson, type ProductJson, type RefundJson, type Shop } from './commerce-client.js';

/**
 * Tenant isolation on every catalog route: another business's products, variants (by id,
 * reference or sku), orders, items, carts, refunds, profiles and sessions answer 404 and
 * change nothing; collections never show them.
 */
describe('commerce tenant isolation', () => {
  let t: TestApp;
  let owner: Shop;
  let intruder: Shop;
  let product: ProductJson;
  let order: OrderJson;
  let cart: CartJson;
  let refund: RefundJson;
  let profile: string;
  const TOKEN = '5f1e2d3c-4b5a-4968-8776-655443322110';

  async function ownerView(): Promise<unknown> {
    return {
      product: await owner.ok('GET', `/products/${product.id}`),
      variant: await owner.ok('GET', `/variants/${product.variants[0]?.id}`),
      order: await owner.ok('GET', `/orders/${order.id}`),
      cart: await owner.ok('GET', `/carts/${cart.id}`),
      refund: await owner.ok('GET', `/refunds/${refund.id}`),
      lists: await Promise.all(['/products', '/orders', '/carts', '/refunds'].map((path) => owner.ok('GET', path))),
    };
  }

  before(async () => {
    t = await testApp();
    owner = await shop(t);
    intruder = await shop(t);
    profile = await owner.profile({ email: 'olive@owner.example' });
    product = await owner.product({ name: 'Secret', reference: 'SECRET-REF', sku: 'SECRET-SKU', price: { amount: 10, currency: 'EUR' }, variants: [{ name: 'V', reference: 'V-REF', sku: 'V-SKU' }] });
    order = await owner.order({ profile, items: [{ product: product.id }] });
    cart = await owner.created<CartJson>('/carts', { profile, session: TOKEN, items: [{ product: product.id }] });
    refund = await owner.created<RefundJson>('/refunds', { order: order.id });
  });
  after(() => t.close());

  test("another business's ids, references and skus answer 404 on every route and change nothing", async () => {
    const before = await ownerView();
    const variant = product.variants[0]?.id ?? '';
    const item = order.items[0]?.id ?? '';
    const attempts: Array<[method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Record<string, unknown>]> = [];
    for (const ref of [product.id, 'SECRET-REF', 'SECRET-SKU', 'V-SKU']) {
      attempts.push(['GET', `/products/${ref}`], ['PATCH', `/products/${ref}`, { name: 'Hacked', variants: [] }], ['DELETE', `/products/${ref}`], ['POST', `/products/${ref}/variants`, { name: 'Planted' }]);
    }
    for (const ref of [variant, 'V-REF', 'V-SKU']) attempts.push(['GET', `/variants/${ref}`], ['PATCH', `/variants/${ref}`, { name: 'Hacked' }], ['DELETE', `/variants/${ref}`]);
    attempts.push(
      ['GET', `/orders/${order.id}`],
      ['PATCH', `/orders/${order.id}`, { reference: 'Hacked' }],
      ['DELETE', `/orders/${order.id}`],
      ['POST', `/orders/${order.id}/items`, { product: product.id }],
      ['PATCH', `/orders/${order.id}/items/${item}`, { quantity: 9 }],
      ['DELETE', `/orders/${order.id}/items/${item}`],
      ['GET', `/carts/${cart.id}`],
      ['PATCH', `/carts/${cart.id}`, { items: [] }],
      ['DELETE', `/carts/${cart.id}`],
      ['GET', `/refunds/${refund.id}`],
      ['PATCH', `/refunds/${refund.id}`, { amount: 1 }],
      ['DELETE', `/refunds/${refund.id}`],
    );
    for (const [method, path, body] of attempts) assertError(await intruder.request(method, path, body), 404, 'not_found');
    assert.deepEqual(await ownerView(), before);
  });

  test("another business's objects cannot be named in bodies", async () => {
    const before = await ownerView();
    const own = await intruder.order();
    for (const ref of [product.id, 'SECRET-SKU', 'V-SKU', product.variants[0]?.id ?? '']) {
      assertError(await intruder.post('/orders', { items: [{ product: ref }] }), 404, 'not_found', 'items[0][product]');
      assertError(await intruder.post(`/orders/${own.id}/items`, { product: ref }), 404, 'not_found', 'product');
      assertError(await intruder.post('/refunds', { product: ref }), 404, 'not_found', 'product');
    }
    assertError(await intruder.post('/refunds', { order: order.id }), 404, 'not_found', 'order');
    for (const path of ['/orders', '/carts', '/refunds']) assertError(await intruder.post(path, { profile }), 404, 'not_found', 'profile');
    // The owner's session id is no session here; the same client token is a session of the intruder's own.
    assertError(await intruder.post('/carts', { session: cart.session }), 404, 'not_found', 'session');
    const theirs = await intruder.created<CartJson>('/carts', { session: TOKEN });
    assert.notEqual(theirs.session, cart.session);
    assert.equal(theirs.profile, null);
    assert.deepEqual(await ownerView(), before);
  });

  test("collections never show another business's objects", async () => {
    for (const path of ['/products', '/orders', '/carts', '/refunds']) {
      const res = await intruder.ok<Record<string, Array<{ id: string }>>>('GET', path);
      const ids = Object.values(res)[0]?.map((object) => object.id) ?? [];
      for (const id of [product.id, order.id, cart.id, refund.id]) assert.ok(!ids.includes(id), `${path} shows ${id}`);
    }
  });
});
