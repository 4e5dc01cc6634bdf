import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addCartItems, createCart, getCart, removeCartItems } from '../../src/core/commerce/carts.service.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { forBusiness, inTransaction, type TenantContext } from '../../src/core/shared/tenant.js';
import { attachSession } from '../../src/core/tracking/sessions.service.js';
import { lineItemsFrom } from '../../src/api/hellotext/catalog.params.js';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, CART_KEYS, ENCODINGS, FORGED, ITEM_KEYS, shop, sortedKeys, type CartJson, type ProductJson, type Shop } from './commerce-client.js';

/** /v1/attribution/carts, and the cart functions event tracking calls. */
describe('carts', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const TOKEN = '1b0e7c2a-6f0d-4f55-9a57-0e9d1c3b2a10';

  async function products(api: Shop): Promise<{ shoe: ProductJson; tee: ProductJson }> {
    return {
      shoe: await api.product({ name: 'Shoe', price: { amount: 100, currency: 'USD' }, sku: 'SHOE' }),
      tee: await api.product({ name: 'Tee', price: { amount: 20, currency: 'EUR' }, reference: 'TEE', variants: [{ name: 'XL', sku: 'TEE-XL' }] }),
    };
  }

  const lines = (cart: CartJson) => cart.items.map((item) => [item.product, item.variant, item.quantity, item.price.amount, item.price.currency]);

  test('create answers 201 with the documented object; items keep their own currencies', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { shoe, tee } = await products(api);
      const profile = await api.profile();
      const cart = await api.created<CartJson>('/carts', {
        profile,
        reference: 'ABC123',
        source: 'shopify',
        metadata: { attribute1: 'value1' },
        items: [{ product: shoe.id, quantity: 2 }, { product: 'TEE-XL' }, 'TEE'],
      });
      assert.deepEqual(sortedKeys(cart), [...CART_KEYS].sort());
      assert.deepEqual(
        { ...cart, id: '-', created_at: 0, items: [] },
        { id: '-', type: 'cart', created_at: 0, items: [], metadata: { attribute1: 'value1' }, profile, reference: 'ABC123', session: null, source: 'shopify' },
      );
      const [first] = cart.items;
      assert.ok(first);
      assert.deepEqual(sortedKeys(first), [...ITEM_KEYS].sort());
      assert.deepEqual(
        { ...first, id: '-', created_at: 0 },
        { id: '-', type: 'cart_item', created_at: 0, price: { amount: '100.00', converted_amount: '96.89', converted_currency: 'EUR', currency: 'USD' }, product: shoe.id, quantity: 2, variant: null },
      );
      assert.deepEqual(lines(cart), [
        [shoe.id, null, 2, '100.00', 'USD'],
        [tee.id, tee.variants[0]?.id, 1, '20.00', 'EUR'],
        [tee.id, null, 1, '20.00', 'EUR'],
      ]);
      assert.deepEqual(await api.ok('GET', `/carts/${cart.id}`), cart);
    }
  });

  test('one line per product or variant: the same one again adds its quantity and takes the new price', async () => {
    const api = await shop(t);
    const { shoe } = await products(api);
    const cart = await api.created<CartJson>('/carts', { session: TOKEN, items: [{ product: shoe.id }, { product: 'SHOE', quantity: 2, price: { amount: 90 } }], new_items: ['SHOE'] });
    assert.deepEqual(lines(cart), [[shoe.id, null, 4, '100.00', 'USD']], 'new_items also add on create');
    assertError(await api.post('/carts', { session: TOKEN, new_items: Array.from({ length: 251 }, () => 'SHOE') }), 422, 'invalid', 'new_items');
  });

  test('a profile or a session is required; a session token makes the session, which brings its profile', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      assertError(await api.post('/carts', {}), 422, 'object_invalid', 'profile');
      assertError(await api.post('/carts', { profile: '', session: '' }), 422, 'object_invalid', 'profile');
      const anonymous = await api.created<CartJson>('/carts', { session: TOKEN });
      assert.equal(anonymous.profile, null);
      assert.ok(anonymous.session);
      assert.equal((await api.created<CartJson>('/carts', { session: anonymous.session })).session, anonymous.session, 'the session by its id');
      const profile = await api.profile();
      await attachSession(forBusiness(t.core, api.businessId), { token: TOKEN }, t.ids.decode('profile', profile) ?? 0);
      assert.equal((await api.ok<CartJson>('GET', `/carts/${anonymous.id}`)).profile, profile, 'attaching the session moved the cart');
      const known = await api.created<CartJson>('/carts', { session: TOKEN });
      assert.deepEqual([known.profile, known.session], [profile, anonymous.session]);
      const other = await api.profile();
      assertError(await api.post('/carts', { session: TOKEN, profile: other }), 422, 'session_assigned_to_another_profile', 'session');
      assertError(await api.patch(`/carts/${known.id}`, { profile: other }), 422, 'session_assigned_to_another_profile', 'session');
      assert.equal((await api.ok<CartJson>('PATCH', `/carts/${known.id}`, { profile: other, session: '' })).profile, other, 'without the session the cart may change hands');
      assertError(await api.post('/carts', { profile: FORGED }), 404, 'not_found', 'profile');
      assertError(await api.post('/carts', { profile: t.ids.encode('profile', 2_000_000_000) }), 404, 'not_found', 'profile');
      assertError(await api.post('/carts', { session: 'not a token' }), 422, 'invalid', 'session');
      assertError(await api.post('/carts', { profile, reference: 'r'.repeat(201) }), 422, 'invalid', 'reference');
    }
  });

  test('update: items replaces all, [] empties, absent leaves; new_items adds; the rest as given', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const { shoe, tee } = await products(api);
      const profile = await api.profile();
      const cart = await api.created<CartJson>('/carts', { profile, items: [{ product: shoe.id }] });
      const same = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { reference: 'R2', metadata: { step: 'checkout' } });
      assert.deepEqual(same, { ...cart, reference: 'R2', metadata: { step: 'checkout' } });
      const replaced = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { items: [{ product: tee.id, quantity: 3 }] });
      assert.deepEqual(lines(replaced), [[tee.id, null, 3, '20.00', 'EUR']]);
      const grown = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { new_items: [{ product: 'TEE', quantity: 1 }, 'SHOE'] });
      assert.deepEqual(lines(grown), [
        [tee.id, null, 4, '20.00', 'EUR'],
        [shoe.id, null, 1, '100.00', 'USD'],
      ]);
      const both = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { items: ['SHOE'], new_items: ['TEE-XL'] });
      assert.deepEqual(lines(both), [
        [shoe.id, null, 1, '100.00', 'USD'],
        [tee.id, tee.variants[0]?.id, 1, '20.00', 'EUR'],
      ]);
      const emptied = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { items: [] });
      assert.deepEqual(emptied.items, []);
      const moved = await api.ok<CartJson>('PATCH', `/carts/${cart.id}`, { session: TOKEN, profile: '' });
      assert.deepEqual([moved.profile, moved.session !== null], [null, true]);
      assertError(await api.patch(`/carts/${cart.id}`, { session: '' }), 422, 'object_invalid', 'profile');
      assertError(await api.patch(`/carts/${cart.id}`, { items: [{ product: 'nope' }] }), 404, 'not_found', 'items[0][product]');
      assertError(await api.patch(`/carts/${cart.id}`, { new_items: [{ product: shoe.id, quantity: -1 }] }), 422, 'invalid', 'new_items[0][quantity]');
      assertError(await api.patch(`/carts/${cart.id}`, { items: [{ product: shoe.id, price: { amount: '1', currency: 'ZZZ' } }] }), 422, 'invalid', 'items[0][price][currency]');
      assert.deepEqual(await api.ok('GET', `/carts/${cart.id}`), moved, 'refused updates changed nothing');
    }
  });

  test('delete answers {id, type, deleted}; list is newest first and paginated', async () => {
    const api = await shop(t);
    assert.deepEqual(await api.ok('GET', '/carts'), { carts: [] });
    const profile = await api.profile();
    for (const reference of ['A', 'B', 'C', 'D']) await api.created('/carts', { profile, reference });
    const all = (await api.ok<{ carts: CartJson[] }>('GET', '/carts')).carts;
    const refs = (carts: CartJson[]) => carts.map((cart) => cart.reference);
    assert.deepEqual(refs(all), ['D', 'C', 'B', 'A']);
    const page = async (query: string) => refs((await api.ok<{ carts: CartJson[] }>('GET', `/carts${query}`)).carts);
    assert.deepEqual(await page('?limit=2'), ['D', 'C']);
    assert.deepEqual(await page(`?starting_after=${all[1]?.id}`), ['B', 'A']);
    assert.deepEqual(await page(`?limit=1&ending_before=${all[2]?.id}`), ['C']);
    const [newest] = all;
    assert.ok(newest);
    assert.deepEqual(await api.ok('DELETE', `/carts/${newest.id}`), { id: newest.id, type: 'cart', deleted: true });
    assert.deepEqual(await page(''), ['C', 'B', 'A']);
    for (const ref of [newest.id, FORGED, t.ids.encode('cart', 2_000_000_000), all[1]?.id.replace(/.$/, '-')]) {
      assertError(await api.get(`/carts/${ref}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/carts/${ref}`, { reference: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/carts/${ref}`), 404, 'not_found', 'id');
    }
  });

  test('addCartItems and removeCartItems: quantities add and drop, a line reaching 0 goes, an absent product changes nothing', async () => {
    const api = await shop(t);
    const { shoe, tee } = await products(api);
    const ctx: TenantContext = forBusiness(t.core, api.businessId);
    const cart = await createCart(ctx, { session: { token: TOKEN }, items: lineItemsFrom([shoe.id], t.ids, 'items') });
    const added = await addCartItems(ctx, cart.id, lineItemsFrom([{ product: 'SHOE', quantity: 2 }, 'TEE', { name: 'Socks', sku: 'SOCKS', price: { amount: 5, currency: 'EUR' } }], t.ids, 'products') ?? []);
    const socks = await api.ok<ProductJson>('GET', '/products/SOCKS');
    const key = (product: ProductJson) => t.ids.decode('product', product.id);
    assert.deepEqual(
      added.cart.items.map((item) => [item.productId, item.quantity]),
      [
        [key(shoe), 3],
        [key(tee), 1],
        [key(socks), 1],
      ],
      'a product-parameters hash made the product',
    );
    assert.deepEqual(
      added.lines.map((line) => line.quantity),
      [2, 1, 1],
    );
    const removed = await removeCartItems(ctx, cart.id, lineItemsFrom([{ product: shoe.id, quantity: 1 }, 'TEE', { product: 'SOCKS', quantity: 5 }, 'TEE-XL'], t.ids, 'products') ?? []);
    assert.deepEqual(
      removed.cart.items.map((item) => [item.productId, item.quantity]),
      [[key(shoe), 2]],
    );
    assert.deepEqual(
      removed.lines.map((line) => line.quantity),
      [1, 1, 1],
      'what each removal took away; TEE-XL was not in the cart',
    );
    const unchanged = await removeCartItems(ctx, cart.id, lineItemsFrom([{ name: 'Never made', sku: 'NEVER' }], t.ids, 'products') ?? []);
    assert.deepEqual([unchanged.lines, unchanged.cart.items.length], [[], 1], 'parameters naming no product remove nothing');
    assertError(await api.get('/products/NEVER'), 404, 'not_found');
    const repriced = await addCartItems(ctx, cart.id, lineItemsFrom([{ name: 'Shoe', sku: 'SHOE', price: { amount: 80, currency: 'USD' } }], t.ids, 'products') ?? []);
    assert.deepEqual(
      repriced.cart.items.map((item) => [item.productId, item.quantity, item.price.e4]),
      [[key(shoe), 3, 800_000]],
      "an existing product's parameters give the line their price",
    );
    assert.equal((await api.ok<ProductJson>('GET', '/products/SHOE')).price?.amount, 100, 'and leave the product as it is');
    await assert.rejects(removeCartItems(ctx, cart.id, lineItemsFrom(['no-such-product'], t.ids, 'products') ?? []), (error: unknown) => error instanceof DomainError && error.code === 'not_found' && error.parameter === 'products[0][product]');
    await assert.rejects(addCartItems(ctx, 2_000_000_000, []), (error: unknown) => error instanceof DomainError && error.code === 'not_found' && error.parameter === 'cart');
  });

  test('createCart and addCartItems join an open transaction: a rollback leaves nothing', async () => {
    const api = await shop(t);
    const { shoe } = await products(api);
    const ctx: TenantContext = forBusiness(t.core, api.businessId);
    let made = 0;
    await assert.rejects(
      inTransaction(ctx, async (trx) => {
        const cart = await createCart(trx, { session: { token: TOKEN } });
        made = cart.id;
        await addCartItems(trx, cart.id, lineItemsFrom([shoe.id], t.ids, 'products') ?? []);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.ok(made > 0);
    await assert.rejects(getCart(ctx, made), (error: unknown) => error instanceof DomainError && error.code === 'not_found');
    assert.deepEqual(await api.ok('GET', '/carts'), { carts: [] });
  });
});
