import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, FORGED, REFUND_KEYS, shop, sortedKeys, type OrderJson, type ProductJson, type RefundJson, type Shop } from './commerce-client.js';

/** /v1/attribution/refunds. */
describe('refunds', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  /** A product at 199.95 USD (sku SKU-1, variant SKU-V at 150 EUR) and an order of one, for a profile. */
  async function setup(api: Shop): Promise<{ product: ProductJson; order: OrderJson; profile: string }> {
    const product = await api.product({ name: 'Jacket', sku: 'SKU-1', price: { amount: '199.95', currency: 'USD' }, metadata: { fit: 'slim' }, variants: [{ name: 'Red', sku: 'SKU-V', price: { amount: 150, currency: 'EUR' } }] });
    const profile = await api.profile();
    const order = await api.order({ profile, items: [{ product: product.id }], metadata: { channel: 'web' } });
    return { product, order, profile };
  }

  test("create for an order: 201 with the documented object; total and profile are the order's", async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { order, profile } = await setup(api);
      const refund = await api.created<RefundJson>('/refunds', { order: order.id, reference: 'RF-1', source: 'shopify', metadata: { reason: 'size' } });
      assert.deepEqual(sortedKeys(refund), [...REFUND_KEYS].sort());
      assert.deepEqual(
        { ...refund, id: '-', created_at: 0 },
        {
          id: '-',
          type: 'refund',
          created_at: 0,
          metadata: { reason: 'size' },
          profile,
          reference: 'RF-1',
          refundable: { id: order.id, type: 'order', amount: '199.95', created_at: order.created_at, currency: 'USD', metadata: { channel: 'web' } },
          source: 'shopify',
          // 199.95 USD at the default 1.0321 USD per EUR.
          total: { amount: '199.95', converted_amount: '193.73', converted_currency: 'EUR', currency: 'USD' },
        },
      );
      assert.deepEqual(await api.ok('GET', `/refunds/${refund.id}`), refund);
    }
  });

  test("the spec's curl example: a top-level amount with an order is in the order's currency", async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { order } = await setup(api);
      const refund = await api.created<RefundJson>('/refunds', { amount: '19.90', order: order.id });
      assert.deepEqual(refund.total, { amount: '19.90', converted_amount: '19.28', converted_currency: 'EUR', currency: 'USD' });
      assert.equal(refund.refundable?.amount, '199.95');
      const hash = await api.created<RefundJson>('/refunds', { total: { amount: 10, currency: 'EUR' }, order: order.id });
      assert.deepEqual(hash.total, { amount: '10.00', converted_amount: '10.00', converted_currency: 'EUR', currency: 'EUR' });
      assertError(await api.post('/refunds', { total: { amount: 1 }, amount: 2 }), 422, 'ambiguous_parameter', 'total');
    }
  });

  test("for a product (by id, reference or sku): the refundable is the product, the total its price or the variant's", async () => {
    const api = await shop(t);
    const { product } = await setup(api);
    const refundable = { id: product.id, type: 'product', amount: '199.95', created_at: product.created_at, currency: 'USD', metadata: { fit: 'slim' } };
    for (const ref of [product.id, 'SKU-1']) {
      const refund = await api.created<RefundJson>('/refunds', { product: ref });
      assert.deepEqual(refund.refundable, refundable);
      assert.equal(refund.total?.amount, '199.95');
      assert.equal(refund.profile, null);
    }
    const variant = await api.created<RefundJson>('/refunds', { product: 'SKU-V' });
    assert.deepEqual(variant.refundable, refundable);
    assert.deepEqual(variant.total, { amount: '150.00', converted_amount: '150.00', converted_currency: 'EUR', currency: 'EUR' });
    const bare = await api.product({ name: 'Unpriced' });
    const unpriced = await api.created<RefundJson>('/refunds', { product: bare.id });
    assert.deepEqual([unpriced.total, unpriced.refundable?.amount, unpriced.refundable?.currency], [null, null, null]);
  });

  test('a refund of nothing named: refundable and total null; order and product together are ambiguous', async () => {
    const api = await shop(t);
    const { order, product } = await setup(api);
    const refund = await api.created<RefundJson>('/refunds', {});
    assert.deepEqual({ ...refund, id: '-', created_at: 0 }, { id: '-', type: 'refund', created_at: 0, metadata: {}, profile: null, reference: null, refundable: null, source: null, total: null });
    assertError(await api.post('/refunds', { order: order.id, product: product.id }), 422, 'ambiguous_parameter', 'order');
  });

  test('update: amount, refundable (bringing its total), profile, null clears', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { order, product, profile } = await setup(api);
      const refund = await api.created<RefundJson>('/refunds', { order: order.id });
      const amount = await api.ok<RefundJson>('PATCH', `/refunds/${refund.id}`, { amount: '24.90' });
      assert.deepEqual(amount, { ...refund, total: { amount: '24.90', converted_amount: '24.13', converted_currency: 'EUR', currency: 'USD' } });
      const moved = await api.ok<RefundJson>('PATCH', `/refunds/${refund.id}`, { product: 'SKU-V', reference: 'R', metadata: { a: '1' } });
      assert.equal(moved.refundable?.type, 'product');
      assert.equal(moved.total?.amount, '150.00');
      assert.deepEqual([moved.reference, moved.metadata, moved.profile], ['R', { a: '1' }, profile]);
      const kept = await api.ok<RefundJson>('PATCH', `/refunds/${refund.id}`, { order: order.id, total: { amount: 5 } });
      assert.deepEqual([kept.refundable?.id, kept.total?.amount, kept.total?.currency], [order.id, '5.00', 'USD']);
      const cleared = await api.ok<RefundJson>('PATCH', `/refunds/${refund.id}`, { order: '', profile: '', reference: '', metadata: null });
      assert.deepEqual(cleared, { ...kept, refundable: null, profile: null, reference: null, metadata: {} });
      assert.deepEqual(await api.ok('PATCH', `/refunds/${refund.id}`, {}), cleared);
      assertError(await api.patch(`/refunds/${refund.id}`, { amount: 'lots' }), 422, 'invalid', 'amount');
      assertError(await api.patch(`/refunds/${refund.id}`, { order: order.id, product: product.id }), 422, 'ambiguous_parameter', 'order');
      assert.deepEqual(await api.ok('GET', `/refunds/${refund.id}`), cleared);
    }
    const api = await shop(t);
    const refund = await api.created<RefundJson>('/refunds', { amount: 3, currency: 'GBP' });
    assert.equal((await api.ok<RefundJson>('PATCH', `/refunds/${refund.id}`, { total: null })).total, null);
  });

  test('refusals name their parameter', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      for (const ref of [FORGED, t.ids.encode('order', 2_000_000_000)]) assertError(await api.post('/refunds', { order: ref }), 404, 'not_found', 'order');
      assertError(await api.post('/refunds', { product: 'unknown' }), 404, 'not_found', 'product');
      assertError(await api.post('/refunds', { profile: FORGED }), 404, 'not_found', 'profile');
      assertError(await api.post('/refunds', { amount: '-1' }), 422, 'invalid', 'amount');
      assertError(await api.post('/refunds', { currency: 'EUR' }), 400, 'parameter_missing', 'amount');
      assertError(await api.post('/refunds', { total: { amount: 1, currency: 'EU' } }), 422, 'invalid', 'total[currency]');
      assertError(await api.post('/refunds', { source: 's'.repeat(201) }), 422, 'invalid', 'source');
    }
  });

  test("deleting its order or product leaves a refund without refundable; its total stays", async () => {
    const api = await shop(t);
    const { order, product } = await setup(api);
    const ofOrder = await api.created<RefundJson>('/refunds', { order: order.id });
    const ofProduct = await api.created<RefundJson>('/refunds', { product: product.id, amount: 1 });
    await api.ok('DELETE', `/orders/${order.id}`);
    assert.deepEqual(await api.ok('GET', `/refunds/${ofOrder.id}`), { ...ofOrder, refundable: null });
    await api.ok('DELETE', `/products/${product.id}`);
    assert.deepEqual(await api.ok('GET', `/refunds/${ofProduct.id}`), { ...ofProduct, refundable: null });
  });

  test('delete answers {id, type, deleted}; list is newest first and paginated; unknown ids 404', async () => {
    const api = await shop(t);
    assert.deepEqual(await api.ok('GET', '/refunds'), { refunds: [] });
    for (const reference of ['A', 'B', 'C', 'D']) await api.created('/refunds', { reference });
    const all = (await api.ok<{ refunds: RefundJson[] }>('GET', '/refunds')).refunds;
    const refs = (refunds: RefundJson[]) => refunds.map((refund) => refund.reference);
    assert.deepEqual(refs(all), ['D', 'C', 'B', 'A']);
    const page = async (query: string) => refs((await api.ok<{ refunds: RefundJson[] }>('GET', `/refunds${query}`)).refunds);
    assert.deepEqual(await page('?limit=3'), ['D', 'C', 'B']);
    assert.deepEqual(await page(`?starting_after=${all[2]?.id}`), ['A']);
    assert.deepEqual(await page(`?ending_before=${all[3]?.id}`), ['D', 'C', 'B']);
    const [newest] = all;
    assert.ok(newest);
    assert.deepEqual(await api.ok('DELETE', `/refunds/${newest.id}`), { id: newest.id, type: 'refund', deleted: true });
    for (const ref of [newest.id, FORGED, t.ids.encode('refund', 2_000_000_000)]) {
      assertError(await api.get(`/refunds/${ref}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/refunds/${ref}`, { reference: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/refunds/${ref}`), 404, 'not_found', 'id');
    }
  });
});
