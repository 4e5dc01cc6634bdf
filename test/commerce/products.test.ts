import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, FORGED, PRODUCT_KEYS, shop, sortedKeys, VARIANT_KEYS, type ProductJson } from './commerce-client.js';

/** POST/GET/PATCH/DELETE /v1/attribution/products[/:id] and GET /v1/attribution/products. */
describe('products', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const yeezy = {
    name: 'Yeezy Boost 350 v2',
    brand: 'Adidas',
    categories: ['shoes'],
    collection: ['350 v2'],
    tags: ['Sneakers', 'Limited'],
    image_url: 'https://www.primesneakers.com/products/yeezy-350-v2.jpg',
    metadata: { color: 'zebra' },
    price: { amount: '220', currency: 'USD' },
    reference: 'YZ-350',
    sku: '1234567890',
    source: 'shopify',
  };

  test('create answers 201 with the documented object, prices as numbers converted to the reporting currency', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product({ ...yeezy, variants: [{ name: 'Size 42', sku: 'YZ-42', price: { amount: 230, currency: 'USD' } }, { name: 'Size 44' }] });
      assert.deepEqual(sortedKeys(product), [...PRODUCT_KEYS].sort());
      assert.equal(product.type, 'product');
      assert.equal(typeof product.created_at, 'number');
      assert.deepEqual(
        { ...product, id: '-', created_at: 0, variants: [] },
        {
          id: '-',
          type: 'product',
          brand: 'Adidas',
          categories: ['shoes'],
          collection: ['350 v2'],
          created_at: 0,
          image_url: yeezy.image_url,
          metadata: { color: 'zebra' },
          name: 'Yeezy Boost 350 v2',
          // 220 USD at the default 1.0321 USD per EUR.
          price: { amount: 220, converted_amount: 213.16, converted_currency: 'EUR', currency: 'USD' },
          reference: 'YZ-350',
          sku: '1234567890',
          source: 'shopify',
          tags: ['Sneakers', 'Limited'],
          variants: [],
        },
      );
      assert.equal(product.variants.length, 2);
      const [size42, size44] = product.variants;
      assert.ok(size42 && size44);
      assert.deepEqual(sortedKeys(size42), [...VARIANT_KEYS].sort());
      assert.deepEqual(
        { ...size42, id: '-', created_at: 0 },
        {
          id: '-',
          type: 'product_variant',
          created_at: 0,
          image_url: yeezy.image_url,
          metadata: {},
          name: 'Size 42',
          price: { amount: 230, converted_amount: 222.85, converted_currency: 'EUR', currency: 'USD' },
          product: product.id,
          reference: null,
          sku: 'YZ-42',
          source: 'shopify',
        },
      );
      assert.deepEqual(size44.price, product.price, "a variant without a price shows the product's");
      assert.equal(size44.sku, null);
      assert.deepEqual((await api.ok('GET', `/products/${product.id}`)), product);
    }
  });

  test('a minimal product: name only, nulls and empty collections; price in EUR needs no conversion', async () => {
    const api = await shop(t);
    const bare = await api.product({ name: 'Sign-Up Form' });
    assert.deepEqual(
      { ...bare, id: '-', created_at: 0 },
      { id: '-', type: 'product', brand: null, categories: [], collection: [], created_at: 0, image_url: null, metadata: {}, name: 'Sign-Up Form', price: null, reference: null, sku: null, source: null, tags: [], variants: [] },
    );
    const euro = await api.product({ name: 'Tea', price: { amount: '4.5', currency: 'eur' } });
    assert.deepEqual(euro.price, { amount: 4.5, converted_amount: 4.5, converted_currency: 'EUR', currency: 'EUR' });
  });

  test('the price may be given at the top level (amount, currency); an amount alone is in USD', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      assert.deepEqual((await api.product({ name: 'A', amount: '19.90', currency: 'GBP' })).price?.currency, 'GBP');
      assert.deepEqual((await api.product({ name: 'A', amount: 19.9 })).price?.amount, 19.9);
      assert.equal((await api.product({ name: 'A', price: { amount: '5' } })).price?.currency, 'USD');
      // A currency without a rate: the converted amount is unknown, not wrong.
      assert.deepEqual((await api.product({ name: 'A', price: { amount: '100', currency: 'ARS' } })).price, { amount: 100, converted_amount: null, converted_currency: 'EUR', currency: 'ARS' });
      assertError(await api.post('/products', { name: 'A', price: { amount: 1 }, amount: 2 }), 422, 'ambiguous_parameter', 'price');
    }
  });

  test('retrieve, update and delete by id, reference or sku (of any variant)', async () => {
    const api = await shop(t);
    const product = await api.product({ ...yeezy, variants: [{ name: 'Size 42', sku: 'YZ-42', reference: 'REF-42' }] });
    for (const ref of [product.id, 'YZ-350', '1234567890', 'YZ-42', 'REF-42']) assert.deepEqual(await api.ok('GET', `/products/${encodeURIComponent(ref)}`), product, ref);
    assertError(await api.get('/products/yz-350'), 404, 'not_found', 'id');
    const variant = product.variants[0];
    assert.ok(variant);
    assertError(await api.get(`/products/${variant.id}`), 404, 'not_found', 'id');
    const updated = await api.ok<ProductJson>('PATCH', '/products/1234567890', { brand: 'Yeezy' });
    assert.equal(updated.brand, 'Yeezy');
    const deleted = await api.ok('DELETE', '/products/YZ-42');
    assert.deepEqual(deleted, { id: product.id, type: 'product', deleted: true });
    for (const ref of [product.id, 'YZ-350', '1234567890', 'YZ-42']) assertError(await api.get(`/products/${ref}`), 404, 'not_found');
    assertError(await api.get(`/v1/attribution/variants/${variant.id}`), 404, 'not_found');
  });

  test('a reference shared by two products finds the older one first; the product id wins over references', async () => {
    const api = await shop(t);
    const first = await api.product({ name: 'First', reference: 'SAME' });
    await api.product({ name: 'Second', reference: 'SAME', sku: first.id });
    assert.equal((await api.ok<ProductJson>('GET', '/products/SAME')).name, 'First');
    assert.equal((await api.ok<ProductJson>('GET', `/products/${first.id}`)).name, 'First');
  });

  test('update: fields change, null clears, the name is also the default variant name, metadata is replaced', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product({ ...yeezy, variants: [{ name: 'Size 42' }] });
      const updated = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, {
        name: 'Yeezy 700',
        tags: ['Runner'],
        price: { amount: '199.95', currency: 'EUR' },
        sku: '5678',
        metadata: { season: 'fall' },
        source: 'woocommerce',
      });
      assert.deepEqual(
        { ...updated, variants: [] },
        {
          ...product,
          variants: [],
          name: 'Yeezy 700',
          tags: ['Runner'],
          price: { amount: 199.95, converted_amount: 199.95, converted_currency: 'EUR', currency: 'EUR' },
          sku: '5678',
          metadata: { season: 'fall' },
          source: 'woocommerce',
        },
      );
      assert.equal(updated.variants[0]?.source, 'woocommerce', "a variant's source is its product's");
      assert.deepEqual(updated.variants[0]?.price, updated.price);
      const untouched = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, {});
      assert.deepEqual(untouched, updated, 'an empty update changes nothing');
      const cleared = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { brand: '', reference: '', categories: [], metadata: null });
      assert.equal(cleared.brand, null);
      assert.equal(cleared.reference, null);
      assert.deepEqual(cleared.categories, []);
      assert.deepEqual(cleared.metadata, {});
    }
    const api = await shop(t);
    const product = await api.product({ ...yeezy });
    assert.equal((await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { price: null, image_url: null })).price, null);
  });

  test('update: variants [] removes every variant, new_variants adds, variants with ids keep and change those', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product({ name: 'Tee', price: { amount: 10, currency: 'EUR' }, variants: [{ name: 'S' }, { name: 'M' }, { name: 'L' }] });
      const [small, medium] = product.variants;
      assert.ok(small && medium);
      const kept = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { variants: [{ id: medium.id, name: 'Medium' }, { name: 'XL' }] });
      assert.deepEqual(
        kept.variants.map((variant) => variant.name),
        ['Medium', 'XL'],
      );
      assert.equal(kept.variants[0]?.id, medium.id);
      assertError(await api.get(`/v1/attribution/variants/${small.id}`), 404, 'not_found');
      const added = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { new_variants: [{ name: 'XXL', sku: 'TEE-XXL' }] });
      assert.deepEqual(
        added.variants.map((variant) => variant.name),
        ['Medium', 'XL', 'XXL'],
      );
      const none = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { variants: [] });
      assert.deepEqual(none.variants, []);
      assert.deepEqual({ ...none, variants: [] }, { ...product, variants: [] }, 'the product itself stays');
      const replaced = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { variants: [], new_variants: [{ name: 'One size' }] });
      assert.deepEqual(
        replaced.variants.map((variant) => variant.name),
        ['One size'],
      );
      const other = await api.product({ name: 'Other', variants: [{ name: 'X' }] });
      assertError(await api.patch(`/products/${product.id}`, { variants: [{ id: other.variants[0]?.id, name: 'Mine' }] }), 404, 'not_found', 'variants[0][id]');
      assertError(await api.patch(`/products/${product.id}`, { variants: [{ id: FORGED }] }), 404, 'not_found', 'variants[0][id]');
    }
  });

  test('GET /v1/attribution/products: {products: […]} newest first, paginated', async () => {
    const api = await shop(t);
    assert.deepEqual(await api.ok('GET', '/products'), { products: [] });
    for (const name of ['A', 'B', 'C', 'D']) await api.product({ name });
    const all = (await api.ok<{ products: ProductJson[] }>('GET', '/products')).products;
    const names = (products: ProductJson[]) => products.map((product) => product.name);
    assert.deepEqual(names(all), ['D', 'C', 'B', 'A']);
    const page = async (query: string) => names((await api.ok<{ products: ProductJson[] }>('GET', `/products${query}`)).products);
    assert.deepEqual(await page('?limit=2'), ['D', 'C']);
    assert.deepEqual(await page(`?limit=2&starting_after=${all[1]?.id}`), ['B', 'A']);
    assert.deepEqual(await page(`?ending_before=${all[2]?.id}`), ['D', 'C']);
    assertError(await api.get(`/products?starting_after=${FORGED}`), 422, 'invalid', 'starting_after');
    assertError(await api.get('/products?limit=0'), 422, 'invalid', 'limit');
  });

  test('every documented refusal names its parameter', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      assertError(await api.post('/products', {}), 400, 'parameter_missing', 'name');
      assertError(await api.post('/products', { name: '  ' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.post('/products', { name: 'x'.repeat(501) }), 422, 'invalid', 'name');
      assert.equal((await api.product({ name: 'x'.repeat(500) })).name.length, 500);
      for (const key of ['reference', 'sku', 'source', 'brand']) assertError(await api.post('/products', { name: 'A', [key]: 'r'.repeat(201) }), 422, 'invalid', key);
      assertError(await api.post('/products', { name: 'A', image_url: 'ftp://example.com/a.jpg' }), 422, 'invalid', 'image_url');
      assertError(await api.post('/products', { name: 'A', image_url: 'not a url' }), 422, 'invalid', 'image_url');
      assertError(await api.post('/products', { name: 'A', price: { amount: 'ten' } }), 422, 'invalid', 'price[amount]');
      assertError(await api.post('/products', { name: 'A', price: { amount: '-1' } }), 422, 'invalid', 'price[amount]');
      assertError(await api.post('/products', { name: 'A', price: { amount: '1', currency: 'XXY' } }), 422, 'invalid', 'price[currency]');
      assertError(await api.post('/products', { name: 'A', price: { currency: 'EUR' } }), 400, 'parameter_missing', 'price[amount]');
      assertError(await api.post('/products', { name: 'A', currency: 'EUR' }), 400, 'parameter_missing', 'amount');
      assertError(await api.post('/products', { name: 'A', categories: [{ a: 1 }] }), 422, 'invalid', 'categories');
      assertError(await api.post('/products', { name: 'A', tags: ['t'.repeat(201)] }), 422, 'invalid', 'tags');
      assertError(await api.post('/products', { name: 'A', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }), 422, 'invalid', 'metadata');
      assertError(await api.post('/products', { name: 'A', variants: [{ sku: 'no-name' }] }), 400, 'parameter_missing', 'variants[0][name]');
      assertError(await api.post('/products', { name: 'A', variants: [{ name: 'B', price: { amount: 'x' } }] }), 422, 'invalid', 'variants[0][price][amount]');
      assertError(await api.post('/products', { name: 'A', variants: ['loose'] }), 422, 'invalid', 'variants[0]');
      assertError(await api.post('/products', { name: 'A', variants: Array.from({ length: 251 }, () => ({ name: 'V' })) }), 422, 'invalid', 'variants');
      assert.deepEqual(
        (await api.product({ name: 'A', variants: [{ name: 'B' }], new_variants: [{ name: 'C' }] })).variants.map((variant) => variant.name),
        ['B', 'C'],
        'new_variants also add on create',
      );
      const product = await api.product({ name: 'Kept' });
      assertError(await api.patch(`/products/${product.id}`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.patch(`/products/${product.id}`, { new_variants: [{ name: '' }] }), 422, 'parameter_invalid_empty', 'new_variants[0][name]');
      assertError(await api.patch(`/products/${product.id}`, { image_url: 'javascript:alert(1)' }), 422, 'invalid', 'image_url');
      assert.deepEqual(await api.ok('GET', `/products/${product.id}`), product, 'refused updates changed nothing');
    }
    if (ENCODINGS.includes('json')) {
      const api = await shop(t);
      assertError(await api.post('/products', { name: ['A'] }), 422, 'invalid', 'name');
      assertError(await api.post('/products', { name: 'A', metadata: 'text' }), 422, 'invalid', 'metadata');
    }
  });

  test('unknown and forged ids, references and skus answer 404 on every product route', async () => {
    const api = await shop(t);
    const product = await api.product({ name: 'A', sku: 'S' });
    for (const ref of [FORGED, 'unknown-sku', t.ids.encode('product', 2_000_000_000), t.ids.encode('order', 1)]) {
      assertError(await api.get(`/products/${ref}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/products/${ref}`, { name: 'B' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/products/${ref}`), 404, 'not_found', 'id');
    }
    assert.deepEqual(await api.ok('GET', `/products/${product.id}`), product);
  });

  test('the OpenAPI document describes every catalog route with its answer', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const routes: Array<[string, string, string]> = [];
    for (const collection of ['products', 'orders', 'carts', 'refunds']) {
      routes.push([`/v1/attribution/${collection}`, 'post', '201'], [`/v1/attribution/${collection}`, 'get', '200']);
      for (const method of ['get', 'patch', 'delete']) routes.push([`/v1/attribution/${collection}/{id}`, method, '200']);
    }
    routes.push(['/v1/attribution/products/{product}/variants', 'post', '201'], ['/v1/attribution/orders/{order}/items', 'post', '201']);
    for (const method of ['get', 'patch', 'delete']) routes.push(['/v1/attribution/variants/{id}', method, '200']);
    for (const method of ['patch', 'delete']) routes.push(['/v1/attribution/orders/{order}/items/{id}', method, '200']);
    for (const [path, method, status] of routes) assert.ok(spec.paths[path]?.[method]?.responses[status], `${method} ${path} ${status}`);
  });

  test('the image URL is stored as given, not fetched', async () => {
    const api = await shop(t);
    const product = await api.product({ name: 'A', image_url: 'http://127.0.0.1:9/never-fetched.png' });
    assert.equal(product.image_url, 'http://127.0.0.1:9/never-fetched.png');
  });
});
