import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, shop, type CartJson, type ItemJson, type OrderJson, type ProductJson, type Shop } from './commerce-client.js';

/**
 * What an order's and a cart's lines are made of beyond the basics: the order create's
 * top-level item (the reference's example), totals that stay exact, lines that outlive
 * their product, and the session given with a profile.
 */
describe('order and cart lines', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const TOKEN = '4c1f0d7e-2b9a-4e3c-8d5f-6a7b8c9d0e1f';
  /** The largest amount accepted: 10¹¹, i.e. 10¹⁵ in e4. */
  const MAX_AMOUNT = '100000000000';

  async function shoe(api: Shop): Promise<ProductJson> {
    return api.product({ name: 'Shoe', price: { amount: 100, currency: 'USD' }, sku: 'SHOE', variants: [{ name: 'Size M', sku: 'SHOE-M' }] });
  }

  const summary = (order: OrderJson) => order.items.map((item) => [item.product, item.name, item.sku, item.quantity, item.price.amount]);

  test("order create: a top-level product (with name, sku, price, quantity) is the order's one item, as in the reference's example", async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await shoe(api);
      const example = await api.order({ product: product.id, name: 'Yeezy boost 350 v2', sku: '1234567890' });
      assert.deepEqual(summary(example), [[product.id, 'Shoe', 'SHOE', 1, '100.00']], 'an existing product is used as it is');
      assert.equal(example.total.amount, '100.00');
      assert.equal((await api.ok<ProductJson>('GET', `/products/${product.id}`)).name, 'Shoe');
      const priced = await api.order({ product: 'SHOE-M', price: { amount: 90 }, quantity: 2 });
      assert.deepEqual(summary(priced), [[product.id, 'Size M', 'SHOE-M', 2, '90.00']]);
      assert.equal(priced.total.amount, '180.00');

      const described = await api.order({ product: 'not-known-yet', name: 'Yeezy', sku: 'YZ-1', price: { amount: 395, currency: 'USD' } });
      const made = await api.ok<ProductJson>('GET', '/products/YZ-1');
      assert.deepEqual(summary(described), [[made.id, 'Yeezy', 'YZ-1', 1, '395.00']], 'a product naming none is described by name and sku');
      assert.equal(made.price?.amount, 395);
      const again = await api.order({ name: 'Yeezy', sku: 'YZ-1' });
      assert.deepEqual(summary(again), [[made.id, 'Yeezy', 'YZ-1', 1, '395.00']], 'name and sku alone find the product by its sku');

      assertError(await api.post('/orders', { product: 'nope' }), 404, 'not_found', 'product');
      assertError(await api.post('/orders', { quantity: 2 }), 400, 'parameter_missing', 'product');
      assertError(await api.post('/orders', { product: product.id, quantity: 0 }), 422, 'invalid', 'quantity');
      assertError(await api.post('/orders', { product: product.id, items: [{ product: product.id }] }), 422, 'ambiguous_parameter', 'product');
      // The reference's update example sends name and sku: they change nothing on an order.
      assert.deepEqual(await api.ok('PATCH', `/orders/${example.id}`, { name: 'Yeezy boost 350 v2', sku: '5678' }), example);
      assertError(await api.patch(`/orders/${example.id}`, { product: product.id }), 422, 'invalid', 'product');
    }
  });

  test('deleting a product or variant drops its cart lines (a cart is current state) and keeps order lines', async () => {
    const api = await shop(t);
    const product = await shoe(api);
    const other = await api.product({ name: 'Sock', price: { amount: 5, currency: 'USD' }, sku: 'SOCK' });
    const profile = await api.profile();
    const cart = await api.created<CartJson>('/carts', { profile, items: ['SHOE', 'SHOE-M', 'SOCK'] });
    const order = await api.order({ items: ['SHOE-M', 'SOCK'] });
    await api.ok('DELETE', '/variants/SHOE-M');
    const lines = async () => (await api.ok<CartJson>('GET', `/carts/${cart.id}`)).items.map((item) => [item.product, item.variant]);
    assert.deepEqual(await lines(), [
      [product.id, null],
      [other.id, null],
    ]);
    await api.ok('DELETE', `/products/${other.id}`);
    assert.deepEqual(await lines(), [[product.id, null]]);
    const kept = await api.ok<OrderJson>('GET', `/orders/${order.id}`);
    assert.deepEqual(summary(kept), [
      [product.id, 'Size M', 'SHOE-M', 1, '100.00'],
      [null, 'Sock', 'SOCK', 1, '5.00'],
    ]);
    assert.deepEqual(kept.total, order.total);
  });

  test('amounts that would leave the exact integer range are refused on the quantity (or the price) that makes them', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await shoe(api);
      const huge = { product: product.id, price: { amount: MAX_AMOUNT }, quantity: 1_000_000_000 };
      assertError(await api.post('/orders', { items: [huge] }), 422, 'invalid', 'items[0][quantity]');
      const half = { product: product.id, price: { amount: MAX_AMOUNT }, quantity: 5 };
      assertError(await api.post('/orders', { items: [half, half] }), 422, 'invalid', 'items[1][quantity]');
      assertError(await api.post('/orders', { ...huge }), 422, 'invalid', 'quantity');
      assert.deepEqual(await api.ok('GET', '/orders'), { orders: [] }, 'nothing was created');

      const order = await api.order({ items: [half] });
      assert.equal(order.total.amount, '500000000000.00');
      assertError(await api.post(`/orders/${order.id}/items`, huge), 422, 'invalid', 'quantity');
      assertError(await api.post(`/orders/${order.id}/items`, half), 422, 'invalid', 'quantity');
      const [line] = order.items;
      assert.ok(line);
      assertError(await api.patch(`/orders/${order.id}/items/${line.id}`, { quantity: 1_000_000_000 }), 422, 'invalid', 'quantity');
      const small = await api.created<ItemJson>(`/orders/${order.id}/items`, { product: product.id, quantity: 1_000_000 });
      assertError(await api.patch(`/orders/${order.id}/items/${small.id}`, { price: { amount: MAX_AMOUNT } }), 422, 'invalid', 'price');
      assert.equal((await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total.amount, '500100000000.00', 'refusals changed nothing');

      const profile = await api.profile();
      assertError(await api.post('/carts', { profile, items: [huge] }), 422, 'invalid', 'items[0][quantity]');
      assertError(await api.post('/carts', { profile, items: [half, { ...half, quantity: 5 }] }), 422, 'invalid', 'items[1][quantity]');
    }
  });

  test('an order or cart given a profile and a session that belongs to no one gives the session to that profile', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const anonymous = await api.created<CartJson>('/carts', { session: TOKEN });
      assert.equal(anonymous.profile, null);
      const profile = await api.profile();
      const order = await api.order({ profile, session: TOKEN });
      assert.deepEqual([order.profile, order.session], [profile, anonymous.session]);
      assert.equal((await api.order({ session: TOKEN })).profile, profile, 'the session now brings its profile');
      assert.equal((await api.ok<CartJson>('GET', `/carts/${anonymous.id}`)).profile, profile, "and the session's history went with it");

      const token = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
      const cart = await api.created<CartJson>('/carts', { session: token });
      const buyer = await api.profile();
      assert.equal((await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { profile: buyer })).profile, buyer);
      assert.equal((await api.created<CartJson>('/carts', { session: token })).profile, buyer, 'an update gives the session too');
      const later = await api.order({ session: token });
      assertError(await api.patch(`/orders/${later.id}`, { profile }), 422, 'session_assigned_to_another_profile', 'session');
    }
  });
});
