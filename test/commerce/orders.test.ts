import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { attachSession } from '../../src/core/tracking/sessions.service.js';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, FORGED, ORDER_ITEM_KEYS, ORDER_KEYS, shop, sortedKeys, type ItemJson, type OrderJson, type ProductJson, type Shop } from './commerce-client.js';

/** /v1/attribution/orders and /v1/attribution/orders/:order/items. */
describe('orders', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  /** Products priced in USD (100), EUR (50, sku EU-1, with a variant at 60) and ARS (no exchange rate). */
  async function catalog(api: Shop): Promise<{ usd: ProductJson; eur: ProductJson; ars: ProductJson; free: ProductJson }> {
    return {
      usd: await api.product({ name: 'Dollar shoe', price: { amount: 100, currency: 'USD' }, reference: 'US-1' }),
      eur: await api.product({ name: 'Euro shoe', price: { amount: 50, currency: 'EUR' }, sku: 'EU-1', variants: [{ name: 'Big', sku: 'EU-BIG', price: { amount: 60, currency: 'EUR' } }] }),
      ars: await api.product({ name: 'Peso shoe', price: { amount: 1000, currency: 'ARS' } }),
      free: await api.product({ name: 'No price' }),
    };
  }

  test('create answers 201 with the documented object; the total is the sum of the items', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { usd, eur } = await catalog(api);
      const order = await api.order({
        delivery: 'deliver',
        reference: '1234',
        source: 'shopify',
        metadata: { channel: 'web' },
        items: [
          { product: usd.id, quantity: 2 },
          { product: 'EU-1', price: { amount: '30', currency: 'USD' } },
        ],
      });
      assert.deepEqual(sortedKeys(order), [...ORDER_KEYS].sort());
      assert.deepEqual(
        { ...order, id: '-', created_at: 0, items: [] },
        {
          id: '-',
          type: 'order',
          created_at: 0,
          delivery: 'deliver',
          items: [],
          metadata: { channel: 'web' },
          reference: '1234',
          source: 'shopify',
          // 230 USD at the default 1.0321 USD per EUR.
          total: { amount: '230.00', converted_amount: '222.85', converted_amount_currency: 'EUR', currency: 'USD' },
          profile: null,
          session: null,
        },
      );
      const [first, second] = order.items;
      assert.ok(first && second);
      assert.deepEqual(sortedKeys(first), [...ORDER_ITEM_KEYS].sort(), 'an item inside its order does not name the order');
      assert.deepEqual(
        { ...first, id: '-', created_at: 0 },
        {
          id: '-',
          type: 'order_item',
          created_at: 0,
          price: { amount: '100.00', converted_amount: '96.89', converted_currency: 'EUR', currency: 'USD' },
          product: usd.id,
          quantity: 2,
          variant: null,
          name: 'Dollar shoe',
          sku: null,
        },
      );
      assert.deepEqual(
        { ...second, id: '-', created_at: 0 },
        { ...first, id: '-', created_at: 0, price: { amount: '30.00', converted_amount: '29.07', converted_currency: 'EUR', currency: 'USD' }, product: eur.id, quantity: 1, name: 'Euro shoe', sku: 'EU-1' },
      );
      assert.deepEqual(await api.ok('GET', `/orders/${order.id}`), order);
    }
  });

  test('an empty order: total 0.00 USD, delivery not set', async () => {
    const api = await shop(t);
    const order = await api.order();
    assert.deepEqual(
      { ...order, id: '-', created_at: 0 },
      {
        id: '-',
        type: 'order',
        created_at: 0,
        delivery: null,
        items: [],
        metadata: {},
        reference: null,
        source: null,
        total: { amount: '0.00', converted_amount: '0.00', converted_amount_currency: 'EUR', currency: 'USD' },
        profile: null,
        session: null,
      },
    );
  });

  test("items in another currency are converted into the order's (its first item's); without a rate they are refused", async () => {
    const api = await shop(t);
    const { usd, eur, ars } = await catalog(api);
    const order = await api.order({ items: [{ product: eur.id }, { product: usd.id }] });
    assert.equal(order.total.currency, 'EUR');
    // 100 USD is 96.8898 EUR: the total adds the exact amounts.
    assert.deepEqual(order.total, { amount: '146.89', converted_amount: '146.89', converted_amount_currency: 'EUR', currency: 'EUR' });
    assert.deepEqual(order.items[1]?.price, { amount: '96.89', converted_amount: '96.89', converted_currency: 'EUR', currency: 'EUR' });

    const before = await api.ok<{ orders: OrderJson[] }>('GET', '/orders');
    assertError(await api.post('/orders', { items: [{ product: usd.id }, { product: ars.id }] }), 422, 'invalid', 'items[1][price]');
    assert.deepEqual(await api.ok('GET', '/orders'), before, 'the refused order was not created');
    assertError(await api.post(`/orders/${order.id}/items`, { product: ars.id }), 422, 'invalid', 'price');
    assertError(await api.post(`/orders/${order.id}/items`, { product: usd.id, price: { amount: 1, currency: 'ARS' } }), 422, 'invalid', 'price');
    const alone = await api.order({ items: [{ product: ars.id, quantity: 3 }] });
    assert.deepEqual(alone.total, { amount: '3000.00', converted_amount: null, converted_amount_currency: 'EUR', currency: 'ARS' });
  });

  test('items: add (201, naming the order), change and remove; the total follows each time', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { usd, eur } = await catalog(api);
      const order = await api.order({ delivery: 'collect' });
      const added = await api.created<ItemJson>(`/orders/${order.id}/items`, { product: 'US-1' });
      assert.deepEqual(sortedKeys(added), [...ORDER_ITEM_KEYS, 'order'].sort());
      assert.deepEqual(
        { ...added, id: '-', created_at: 0 },
        {
          id: '-',
          type: 'order_item',
          created_at: 0,
          price: { amount: '100.00', converted_amount: '96.89', converted_currency: 'EUR', currency: 'USD' },
          product: usd.id,
          quantity: 1,
          variant: null,
          name: 'Dollar shoe',
          sku: null,
          order: order.id,
        },
      );
      const total = async () => (await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total;
      assert.equal((await total()).amount, '100.00');

      const variantItem = await api.created<ItemJson>(`/orders/${order.id}/items`, { product: 'EU-BIG', quantity: '0.5' });
      assert.equal(variantItem.product, eur.id);
      assert.equal(variantItem.variant, eur.variants[0]?.id);
      assert.equal(variantItem.quantity, 0.5);
      // 60 EUR is 61.926 USD; half of it is 30.963.
      assert.equal(variantItem.price.amount, '61.93');
      assert.equal((await total()).amount, '130.96');

      const changed = await api.ok<ItemJson>('PATCH', `/orders/${order.id}/items/${added.id}`, { quantity: 5 });
      assert.deepEqual(changed, { ...added, quantity: 5 });
      assert.equal((await total()).amount, '530.96');
      const repriced = await api.ok<ItemJson>('PATCH', `/orders/${order.id}/items/${added.id}`, { price: { amount: '10' } });
      assert.deepEqual(repriced.price, { amount: '10.00', converted_amount: '9.69', converted_currency: 'EUR', currency: 'USD' });
      assert.equal(repriced.quantity, 5);
      assert.equal((await total()).amount, '80.96');

      assert.deepEqual(await api.ok('DELETE', `/orders/${order.id}/items/${added.id}`), { id: added.id, type: 'order_item', deleted: true });
      assert.equal((await total()).amount, '30.96');
      assertError(await api.patch(`/orders/${order.id}/items/${added.id}`, { quantity: 1 }), 404, 'not_found', 'id');
      await api.ok('DELETE', `/orders/${order.id}/items/${variantItem.id}`);
      assert.deepEqual(await total(), { amount: '0.00', converted_amount: '0.00', converted_amount_currency: 'EUR', currency: 'USD' });
      const euroFirst = await api.created<ItemJson>(`/orders/${order.id}/items`, { product: eur.id });
      assert.equal(euroFirst.price.currency, 'EUR', 'an emptied order takes the currency of its next first item');
      assert.equal((await total()).currency, 'EUR');
    }
  });

  test('the only item may change currency; with other items a new price is converted', async () => {
    const api = await shop(t);
    const { usd, eur } = await catalog(api);
    const order = await api.order({ items: [{ product: usd.id }] });
    const item = order.items[0];
    assert.ok(item);
    assert.equal((await api.ok<ItemJson>('PATCH', `/orders/${order.id}/items/${item.id}`, { price: { amount: 20, currency: 'EUR' } })).price.currency, 'EUR');
    assert.equal((await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total.amount, '20.00');
    await api.created(`/orders/${order.id}/items`, { product: eur.id });
    const converted = await api.ok<ItemJson>('PATCH', `/orders/${order.id}/items/${item.id}`, { price: { amount: '103.21', currency: 'USD' } });
    assert.deepEqual(converted.price, { amount: '100.00', converted_amount: '100.00', converted_currency: 'EUR', currency: 'EUR' });
    assert.equal((await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total.amount, '150.00');
  });

  test('item refusals: product required and found, quantity greater than 0, a price when the product has none', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { usd, free } = await catalog(api);
      const order = await api.order();
      const path = `/orders/${order.id}/items`;
      assertError(await api.post(path, {}), 400, 'parameter_missing', 'product');
      assertError(await api.post(path, { product: 'unknown' }), 404, 'not_found', 'product');
      assertError(await api.post(path, { product: FORGED }), 404, 'not_found', 'product');
      for (const quantity of ['0', '-1', 'abc', '1e400']) assertError(await api.post(path, { product: usd.id, quantity }), 422, 'invalid', 'quantity');
      assertError(await api.post(path, { product: free.id }), 400, 'parameter_missing', 'price');
      assert.equal((await api.created<ItemJson>(path, { product: free.id, price: { amount: 0 } })).price.amount, '0.00');
      assertError(await api.post(path, { product: usd.id, price: { amount: '-5' } }), 422, 'invalid', 'price[amount]');
      assertError(await api.post('/orders', { items: [{ product: usd.id }, { quantity: 2 }] }), 400, 'parameter_missing', 'items[1][product]');
      assertError(await api.post('/orders', { items: [{ product: usd.id, quantity: 0 }] }), 422, 'invalid', 'items[0][quantity]');
      assertError(await api.post('/orders', { items: [{ product: 'nope' }] }), 404, 'not_found', 'items[0][product]');
      assertError(await api.post('/orders', { items: Array.from({ length: 251 }, () => usd.id) }), 422, 'invalid', 'items');
      const item = await api.created<ItemJson>(path, { product: usd.id });
      assertError(await api.patch(`${path}/${item.id}`, { quantity: '0' }), 422, 'invalid', 'quantity');
      assertError(await api.patch(`${path}/${item.id}`, { price: { amount: 'x' } }), 422, 'invalid', 'price[amount]');
      assert.equal((await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total.amount, '100.00', 'refusals changed nothing');
    }
  });

  test('items accept product parameters: an existing product with that reference or sku, else a new one', async () => {
    const api = await shop(t);
    const { usd } = await catalog(api);
    const order = await api.order({ items: [{ product: { name: 'Dollar shoe again', reference: 'US-1' } }, { product: { name: 'Brand new', sku: 'NEW-1', price: { amount: 5, currency: 'USD' } }, quantity: 2 }] });
    assert.equal(order.items[0]?.product, usd.id);
    const created = await api.ok<ProductJson>('GET', '/products/NEW-1');
    assert.equal(order.items[1]?.product, created.id);
    assert.equal(order.total.amount, '110.00');
  });

  test('update: delivery, metadata, reference and source; null or empty clears; items are untouched', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { usd } = await catalog(api);
      const order = await api.order({ delivery: 'collect', reference: 'R1', items: [{ product: usd.id }] });
      const updated = await api.ok<OrderJson>('PATCH', `/orders/${order.id}`, { delivery: 'deliver', metadata: { gift: 'yes' }, reference: 'R2', source: 'pos' });
      assert.deepEqual(updated, { ...order, delivery: 'deliver', metadata: { gift: 'yes' }, reference: 'R2', source: 'pos' });
      assert.deepEqual(await api.ok('PATCH', `/orders/${order.id}`, {}), updated);
      const cleared = await api.ok<OrderJson>('PATCH', `/orders/${order.id}`, { delivery: '', reference: '', metadata: null });
      assert.deepEqual(cleared, { ...updated, delivery: null, reference: null, metadata: {} });
      assertError(await api.patch(`/orders/${order.id}`, { delivery: 'ship' }), 422, 'invalid', 'delivery');
      assertError(await api.patch(`/orders/${order.id}`, { items: [{ product: usd.id }] }), 422, 'invalid', 'items');
      assertError(await api.post('/orders', { delivery: 'teleport' }), 422, 'invalid', 'delivery');
      assertError(await api.patch(`/orders/${order.id}`, { source: 's'.repeat(201) }), 422, 'invalid', 'source');
      assertError(await api.patch(`/orders/${order.id}`, { reference: 'r'.repeat(201) }), 422, 'invalid', 'reference');
      assert.deepEqual(await api.ok('GET', `/orders/${order.id}`), cleared);
    }
  });

  test('extension: profile and session; a session token makes a session, a session brings its profile', async () => {
    const api = await shop(t);
    const profile = await api.profile({ email: 'buyer@example.com' });
    const withProfile = await api.order({ profile });
    assert.equal(withProfile.profile, profile);
    const token = '730a8d6b-fe22-4df0-b517-cc2e8197bd67';
    const withToken = await api.order({ session: token });
    assert.equal(withToken.profile, null);
    assert.ok(withToken.session);
    assert.equal((await api.order({ session: withToken.session })).session, withToken.session, 'the session by its id');
    await attachSession(forBusiness(t.core, api.businessId), { token }, t.ids.decode('profile', profile) ?? 0);
    const attached = await api.order({ session: token });
    assert.deepEqual([attached.profile, attached.session], [profile, withToken.session]);
    assert.equal((await api.ok<OrderJson>('GET', `/orders/${withToken.id}`)).profile, profile, 'attaching a session moves its orders');
    const other = await api.profile({ email: 'other@example.com' });
    assertError(await api.post('/orders', { session: token, profile: other }), 422, 'session_assigned_to_another_profile', 'session');
    assertError(await api.post('/orders', { profile: FORGED }), 404, 'not_found', 'profile');
    assertError(await api.post('/orders', { session: 'short' }), 422, 'invalid', 'session');
    const cleared = await api.ok<OrderJson>('PATCH', `/orders/${attached.id}`, { profile: '', session: '' });
    assert.deepEqual([cleared.profile, cleared.session], [null, null]);
  });

  test('delete answers {id, type, deleted}; the order and its items are gone', async () => {
    const api = await shop(t);
    const { usd } = await catalog(api);
    const order = await api.order({ items: [{ product: usd.id }] });
    assert.deepEqual(await api.ok('DELETE', `/orders/${order.id}`), { id: order.id, type: 'order', deleted: true });
    assertError(await api.get(`/orders/${order.id}`), 404, 'not_found', 'id');
    assertError(await api.delete(`/orders/${order.id}`), 404, 'not_found', 'id');
    assertError(await api.post(`/orders/${order.id}/items`, { product: usd.id }), 404, 'not_found', 'order');
    assertError(await api.delete(`/orders/${order.id}/items/${order.items[0]?.id}`), 404, 'not_found', 'order');
  });

  test("deleting a product or variant leaves orders as they were: items keep their name, sku and price, with product null", async () => {
    const api = await shop(t);
    const { usd, eur } = await catalog(api);
    const order = await api.order({ items: [{ product: usd.id }, { product: usd.id, quantity: 2 }, { product: 'EU-BIG' }] });
    assert.equal(order.total.amount, '361.93');
    await api.ok('DELETE', `/variants/EU-BIG`);
    const kept = await api.ok<OrderJson>('GET', `/orders/${order.id}`);
    assert.deepEqual(
      kept.items.map((item) => [item.product, item.variant, item.name, item.sku]),
      [
        [usd.id, null, 'Dollar shoe', null],
        [usd.id, null, 'Dollar shoe', null],
        [eur.id, null, 'Big', 'EU-BIG'],
      ],
      "a deleted variant's items stay as its product's, named as they were sold",
    );
    assert.deepEqual(kept.total, order.total);
    await api.ok('DELETE', `/products/${usd.id}`);
    const after = await api.ok<OrderJson>('GET', `/orders/${order.id}`);
    assert.deepEqual(
      after.items,
      kept.items.map((item) => ({ ...item, product: item.product === usd.id ? null : item.product })),
      'only product changes, to null',
    );
    assert.deepEqual(after.total, order.total, 'the total stays');
    const [gone] = after.items;
    assert.ok(gone);
    assert.equal((await api.ok<ItemJson>('PATCH', `/orders/${order.id}/items/${gone.id}`, { quantity: 3 })).product, null, 'an item without product still changes');
    assert.equal((await api.ok<OrderJson>('GET', `/orders/${order.id}`)).total.amount, '561.93');
  });

  test('GET /v1/attribution/orders: {orders: […]} newest first, paginated', async () => {
    const api = await shop(t);
    assert.deepEqual(await api.ok('GET', '/orders'), { orders: [] });
    for (const reference of ['A', 'B', 'C', 'D']) await api.order({ reference });
    const all = (await api.ok<{ orders: OrderJson[] }>('GET', '/orders')).orders;
    const refs = (orders: OrderJson[]) => orders.map((order) => order.reference);
    assert.deepEqual(refs(all), ['D', 'C', 'B', 'A']);
    const page = async (query: string) => refs((await api.ok<{ orders: OrderJson[] }>('GET', `/orders${query}`)).orders);
    assert.deepEqual(await page('?limit=2'), ['D', 'C']);
    assert.deepEqual(await page(`?limit=2&starting_after=${all[1]?.id}`), ['B', 'A']);
    assert.deepEqual(await page(`?ending_before=${all[2]?.id}`), ['D', 'C']);
    assertError(await api.get(`/orders?ending_before=${FORGED}`), 422, 'invalid', 'ending_before');
  });

  test('unknown and forged ids answer 404 on every order and item route', async () => {
    const api = await shop(t);
    const { usd } = await catalog(api);
    const order = await api.order({ items: [{ product: usd.id }] });
    const other = await api.order({ items: [{ product: usd.id }] });
    const item = order.items[0]?.id ?? '';
    for (const ref of [FORGED, t.ids.encode('order', 2_000_000_000), usd.id]) {
      assertError(await api.get(`/orders/${ref}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/orders/${ref}`, { reference: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/orders/${ref}`), 404, 'not_found', 'id');
      assertError(await api.post(`/orders/${ref}/items`, { product: usd.id }), 404, 'not_found', 'order');
      assertError(await api.patch(`/orders/${ref}/items/${item}`, { quantity: 2 }), 404, 'not_found', 'order');
      assertError(await api.delete(`/orders/${ref}/items/${item}`), 404, 'not_found', 'order');
    }
    for (const ref of [FORGED, t.ids.encode('order_item', 2_000_000_000), order.id]) {
      assertError(await api.patch(`/orders/${order.id}/items/${ref}`, { quantity: 2 }), 404, 'not_found', 'id');
      assertError(await api.delete(`/orders/${order.id}/items/${ref}`), 404, 'not_found', 'id');
    }
    assertError(await api.patch(`/orders/${other.id}/items/${item}`, { quantity: 2 }), 404, 'not_found', 'id');
    assertError(await api.delete(`/orders/${other.id}/items/${item}`), 404, 'not_found', 'id');
    assert.deepEqual(await api.ok('GET', `/orders/${order.id}`), order);
  });

  test('concurrent item additions to one order all count in its total', async () => {
    const api = await shop(t);
    const { usd } = await catalog(api);
    const order = await api.order();
    const replies = await Promise.all(Array.from({ length: 8 }, () => api.post(`/orders/${order.id}/items`, { product: usd.id })));
    assert.deepEqual(
      replies.map((res) => res.status),
      Array.from({ length: 8 }, () => 201),
    );
    const after = await api.ok<OrderJson>('GET', `/orders/${order.id}`);
    assert.equal(after.items.length, 8);
    assert.equal(after.total.amount, '800.00');
  });
});
