import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cartInputFrom, lineItemsFrom, orderInputFrom, refundInputFrom } from '../../src/api/hellotext/catalog.params.js';
import { addCartItems, createCart, removeCartItems } from '../../src/core/commerce/carts.service.js';
import { linesTotal } from '../../src/core/commerce/catalog.model.js';
import { converter } from '../../src/core/commerce/exchange-rates.service.js';
import { createOrder } from '../../src/core/commerce/orders.service.js';
import { createRefund } from '../../src/core/commerce/refunds.service.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { forBusiness, type TenantContext } from '../../src/core/shared/tenant.js';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, FORGED, shop, type CartJson, type OrderJson, type ProductJson, type Shop } from './commerce-client.js';

/**
 * The forms an item of an order, a cart or a cart event may take, and what the functions
 * event tracking shares with these routes promise it: refusals named inside the event's
 * `*_parameters` hash, bounded removals, cart amounts in one currency.
 */
describe('item forms and nested parameters', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const TOKEN = '2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b';

  async function shoe(api: Shop): Promise<ProductJson> {
    return api.product({ name: 'Shoe', price: { amount: 100, currency: 'USD' }, sku: 'SHOE' });
  }

  /** Rejects with a DomainError of this code on this parameter. */
  const refusal = (code: string, parameter: string) => (error: unknown) => error instanceof DomainError && error.code === code && error.parameter === parameter;

  test('items may be {product_parameters} (found by reference or sku, else made) or {product_variant_parameters, product} (a variant of that product)', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await shoe(api);
      const profile = await api.profile();
      const items = [
        { product_parameters: { name: 'Sock', sku: 'SOCK', price: { amount: 5, currency: 'USD' } }, quantity: 2 },
        { product_variant_parameters: { name: 'Size M', sku: 'SHOE-M', price: { amount: 110, currency: 'USD' } }, product: 'SHOE' },
        { product_variant_parameters: { name: 'Size L', sku: 'SHOE-L' }, product: product.id, price: { amount: 120 } },
      ];
      const cart = await api.created<CartJson>('/carts', { profile, items });
      const sock = await api.ok<ProductJson>('GET', '/products/SOCK');
      const variants = (await api.ok<ProductJson>('GET', `/products/${product.id}`)).variants;
      assert.deepEqual(
        variants.map((variant) => [variant.name, variant.sku, variant.price?.amount]),
        [
          ['Size M', 'SHOE-M', 110],
          ['Size L', 'SHOE-L', 100],
        ],
      );
      const lines = (of: CartJson | OrderJson) => of.items.map((item) => [item.product, item.variant, item.quantity, item.price.amount]);
      const expected = [
        [sock.id, null, 2, '5.00'],
        [product.id, variants[0]?.id, 1, '110.00'],
        [product.id, variants[1]?.id, 1, '120.00'],
      ];
      assert.deepEqual(lines(cart), expected);
      const order = await api.order({ items });
      assert.deepEqual(lines(order), expected, 'the same parameters again name the same product and variants');
      assert.equal((await api.ok<ProductJson>('GET', `/products/${product.id}`)).variants.length, 2);
      assert.equal(order.items[1]?.name, 'Size M');

      assertError(await api.post('/orders', { items: [{ product_variant_parameters: { name: 'Size S' } }] }), 400, 'parameter_missing', 'items[0][product]');
      assertError(await api.post('/orders', { items: [{ product_variant_parameters: { sku: 'SHOE-S' }, product: 'SHOE' }] }), 400, 'parameter_missing', 'items[0][product_variant_parameters][name]');
      assertError(await api.post('/orders', { items: [{ product_variant_parameters: { name: 'Size S' }, product: 'nope' }] }), 404, 'not_found', 'items[0][product]');
    }
  });

  test('unknown keys in an item are refused by name rather than misread', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      await shoe(api);
      const profile = await api.profile();
      assertError(await api.post('/carts', { profile, items: [{ product: 'SHOE', name: 'Size M', sku: 'SHOE-M' }] }), 422, 'invalid', 'items[0][name]');
      assertError(await api.post('/orders', { items: ['SHOE', { product: 'SHOE', colour: 'red' }] }), 422, 'invalid', 'items[1][colour]');
      assertError(await api.post('/orders', { items: [{ name: 'Sock', sku: 'SOCK', colour: 'red' }] }), 422, 'invalid', 'items[0][colour]');
      assertError(await api.post('/orders', { items: [{ product_parameters: { name: 'Sock', quantity: 2 } }] }), 422, 'invalid', 'items[0][product_parameters][quantity]');
      assertError(await api.post('/orders', { items: [{ product_parameters: { name: 'Sock' }, product: 'SHOE' }] }), 422, 'invalid', 'items[0][product]');
      assertError(await api.post('/orders', { items: [{ product_variant_parameters: { name: 'M', size: 'M' }, product: 'SHOE' }] }), 422, 'invalid', 'items[0][product_variant_parameters][size]');
      assertError(await api.post('/orders', { items: [{ product: { name: 'Sock', quantity: 2 } }] }), 422, 'invalid', 'items[0][product][quantity]');
      assertError(await api.get('/products/SOCK'), 404, 'not_found');
      assert.deepEqual(await api.ok('GET', '/orders'), { orders: [] });
      assert.deepEqual(await api.ok('GET', '/carts'), { carts: [] });
    }
    const ids = t.ids;
    assert.throws(() => lineItemsFrom([{ product: 'SHOE', name: 'Size M', sku: 'SHOE-M' }], ids, 'products'), refusal('invalid', 'products[0][name]'));
  });

  test('refusals inside a hash name it: the mappers and the core take the prefix', async () => {
    const api = await shop(t);
    const product = await shoe(api);
    const ctx: TenantContext = forBusiness(t.core, api.businessId);
    const ids = t.ids;
    const order = (body: Record<string, unknown>) => createOrder(ctx, orderInputFrom(body, ids, 'order_parameters'));
    await assert.rejects(order({ items: [{ product: 'nope' }] }), refusal('not_found', 'order_parameters[items][0][product]'));
    await assert.rejects(order({ items: [{ product: product.id, price: { amount: 'x' } }] }), refusal('invalid', 'order_parameters[items][0][price][amount]'));
    await assert.rejects(order({ delivery: 'drone' }), refusal('invalid', 'order_parameters[delivery]'));
    await assert.rejects(order({ reference: 'r'.repeat(201) }), refusal('invalid', 'order_parameters[reference]'));
    await assert.rejects(order({ product: product.id, quantity: 0 }), refusal('invalid', 'order_parameters[quantity]'));
    await assert.rejects(order({ session: 'short' }), refusal('invalid', 'order_parameters[session]'));
    assert.throws(() => orderInputFrom({ profile: FORGED }, ids, 'order_parameters'), refusal('not_found', 'order_parameters[profile]'));
    assert.throws(() => orderInputFrom({ items: [{ product: 'SHOE', size: 'M' }] }, ids, 'order_parameters'), refusal('invalid', 'order_parameters[items][0][size]'));

    const cart = (body: Record<string, unknown>) => createCart(ctx, cartInputFrom(body, ids, 'cart_parameters'));
    await assert.rejects(cart({}), refusal('object_invalid', 'cart_parameters[profile]'));
    await assert.rejects(cart({ session: TOKEN, new_items: [{ product: product.id, quantity: 0 }] }), refusal('invalid', 'cart_parameters[new_items][0][quantity]'));
    await assert.rejects(cart({ session: TOKEN, source: 's'.repeat(201) }), refusal('invalid', 'cart_parameters[source]'));

    const refund = (body: Record<string, unknown>) => createRefund(ctx, refundInputFrom(body, ids, 'refund_parameters'));
    const placed = await api.order({ items: [product.id] });
    await assert.rejects(refund({ order: placed.id, product: product.id }), refusal('ambiguous', 'refund_parameters[order]'));
    await assert.rejects(refund({ product: 'nope' }), refusal('not_found', 'refund_parameters[product]'));
    await assert.rejects(refund({ total: { amount: 'x' } }), refusal('invalid', 'refund_parameters[total][amount]'));
    await assert.rejects(refund({ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 1])) }), refusal('invalid', 'refund_parameters[metadata]'));
  });

  test('removeCartItems takes at most 250 entries, like additions; variant parameters remove that variant and never make one', async () => {
    const api = await shop(t);
    const product = await shoe(api);
    const ctx: TenantContext = forBusiness(t.core, api.businessId);
    const cart = await createCart(ctx, { session: { token: TOKEN }, items: lineItemsFrom(['SHOE'], t.ids, 'items') });
    const many = lineItemsFrom(Array.from({ length: 251 }, () => 'SHOE'), t.ids, 'products') ?? [];
    await assert.rejects(removeCartItems(ctx, cart.id, many, 'products'), refusal('invalid', 'products'));
    await assert.rejects(removeCartItems(ctx, cart.id, many), refusal('invalid', 'items'));
    await assert.rejects(addCartItems(ctx, cart.id, many, 'products'), refusal('invalid', 'products'));

    const variant = (sku: string) => lineItemsFrom([{ product_variant_parameters: { name: sku, sku }, product: 'SHOE' }], t.ids, 'products') ?? [];
    const added = await addCartItems(ctx, cart.id, variant('SHOE-M'), 'products');
    assert.equal(added.cart.items.length, 2);
    const removed = await removeCartItems(ctx, cart.id, variant('SHOE-M'), 'products');
    assert.deepEqual(
      removed.cart.items.map((item) => [item.productId, item.variantId]),
      [[t.ids.decode('product', product.id), null]],
    );
    assert.deepEqual((await removeCartItems(ctx, cart.id, variant('SHOE-XL'), 'products')).lines, []);
    assert.deepEqual(
      (await api.ok<ProductJson>('GET', `/products/${product.id}`)).variants.map((item) => item.sku),
      ['SHOE-M'],
      'a removal made no variant',
    );
  });

  test('linesTotal: lines in several currencies add up in the first one at today’s rates; unknown without a rate', async () => {
    const api = await shop(t);
    const ctx: TenantContext = forBusiness(t.core, api.businessId);
    const usd = { price: { e4: 100_000, currency: 'USD' }, quantity: 1 };
    const jpy = { price: { e4: 10_000_000, currency: 'JPY' }, quantity: 2 };
    const yenInDollars = (await converter(ctx))({ e4: 20_000_000, currency: 'JPY' }, 'USD');
    assert.ok(yenInDollars !== null && yenInDollars < 200_000, '2000 JPY is a dozen dollars, not 2000');
    assert.deepEqual(await linesTotal(ctx, [usd, jpy]), { e4: 100_000 + yenInDollars, currency: 'USD' });
    assert.deepEqual(await linesTotal(ctx, []), undefined);
    assert.deepEqual(await linesTotal(ctx, [usd, { price: { e4: 10_000, currency: 'ARS' }, quantity: 1 }]), undefined, 'no ARS rate: unknown rather than wrong');
    const huge = { price: { e4: 1e15, currency: 'USD' }, quantity: 5 };
    await assert.rejects(linesTotal(ctx, [huge, huge], 'products'), refusal('invalid', 'products'));
  });
});
