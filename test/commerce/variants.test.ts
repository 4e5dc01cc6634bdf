import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../support/app.js';
import { assertError, ENCODINGS, FORGED, shop, sortedKeys, VARIANT_KEYS, type ProductJson, type VariantJson } from './commerce-client.js';

/** POST /v1/attribution/products/:product/variants and GET/PATCH/DELETE /v1/attribution/variants/:id. */
describe('product variants', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const parent = { name: 'Yeezy Boost 350 v2', reference: 'YZ', sku: 'YZ-SKU', source: 'shopify', price: { amount: 220, currency: 'USD' }, image_url: 'https://example.com/yz.jpg' };

  test('create under a product named by id, reference or sku: 201 with the documented object', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product(parent);
      for (const ref of [product.id, 'YZ', 'YZ-SKU']) {
        const variant = await api.created<VariantJson>(`/products/${ref}/variants`, { name: `Size ${ref}`, sku: `S-${ref}`, price: { amount: '230.5', currency: 'EUR' }, metadata: { size: '42' } });
        assert.deepEqual(sortedKeys(variant), [...VARIANT_KEYS].sort());
        assert.deepEqual(
          { ...variant, id: '-', created_at: 0 },
          {
            id: '-',
            type: 'product_variant',
            created_at: 0,
            image_url: 'https://example.com/yz.jpg',
            metadata: { size: '42' },
            name: `Size ${ref}`,
            price: { amount: 230.5, converted_amount: 230.5, converted_currency: 'EUR', currency: 'EUR' },
            product: product.id,
            reference: null,
            sku: `S-${ref}`,
            source: 'shopify',
          },
        );
      }
      const withVariants = await api.ok<ProductJson>('GET', `/products/${product.id}`);
      assert.equal(withVariants.variants.length, 3);
    }
  });

  test("a variant's source is always its product's, whatever it is given", async () => {
    const api = await shop(t);
    const product = await api.product(parent);
    const variant = await api.created<VariantJson>(`/products/${product.id}/variants`, { name: 'S', source: 'elsewhere' });
    assert.equal(variant.source, 'shopify');
    await api.ok('PATCH', `/products/${product.id}`, { source: 'woocommerce' });
    assert.equal((await api.ok<VariantJson>('GET', `/variants/${variant.id}`)).source, 'woocommerce');
  });

  test('retrieve, update and delete by id, reference or sku', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product(parent);
      const variant = await api.created<VariantJson>(`/products/${product.id}/variants`, { name: 'Size 42', reference: 'V-REF', sku: 'V-SKU' });
      for (const ref of [variant.id, 'V-REF', 'V-SKU']) assert.deepEqual(await api.ok('GET', `/variants/${ref}`), variant, ref);
      const updated = await api.ok<VariantJson>('PATCH', '/variants/V-SKU', { name: 'Size 43', sku: '5678', price: { amount: 1, currency: 'EUR' }, image_url: 'https://example.com/43.jpg', metadata: { size: '43' } });
      assert.deepEqual(updated, {
        ...variant,
        name: 'Size 43',
        sku: '5678',
        price: { amount: 1, converted_amount: 1, converted_currency: 'EUR', currency: 'EUR' },
        image_url: 'https://example.com/43.jpg',
        metadata: { size: '43' },
      });
      assertError(await api.get('/variants/V-SKU'), 404, 'not_found', 'id');
      const inherited = await api.ok<VariantJson>('PATCH', `/variants/${variant.id}`, { price: null, image_url: '' });
      assert.deepEqual(inherited.price?.amount, 220, "without its own price a variant shows the product's");
      assert.equal(inherited.image_url, 'https://example.com/yz.jpg');
      assert.deepEqual(await api.ok('DELETE', '/variants/V-REF'), { id: variant.id, type: 'product_variant', deleted: true });
      assertError(await api.get(`/variants/${variant.id}`), 404, 'not_found');
      assert.deepEqual((await api.ok<ProductJson>('GET', `/products/${product.id}`)).variants, []);
    }
  });

  test("a product's own id, reference and sku name no variant: its default variant is the product", async () => {
    const api = await shop(t);
    const product = await api.product(parent);
    for (const ref of [product.id, 'YZ', 'YZ-SKU']) {
      assertError(await api.get(`/variants/${ref}`), 404, 'not_found');
      assertError(await api.patch(`/variants/${ref}`, { name: 'X' }), 404, 'not_found');
      assertError(await api.delete(`/variants/${ref}`), 404, 'not_found');
    }
    assert.equal((await api.ok<ProductJson>('GET', `/products/${product.id}`)).name, parent.name);
  });

  test('refusals: unknown parent 404, name required on create, never blank, limits', async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const product = await api.product(parent);
      for (const ref of [FORGED, 'nope', t.ids.encode('product', 2_000_000_000)]) assertError(await api.post(`/products/${ref}/variants`, { name: 'S' }), 404, 'not_found', 'product');
      assertError(await api.post(`/products/${product.id}/variants`, {}), 400, 'parameter_missing', 'name');
      assertError(await api.post(`/products/${product.id}/variants`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.post(`/products/${product.id}/variants`, { name: 'S', sku: 's'.repeat(201) }), 422, 'invalid', 'sku');
      assertError(await api.post(`/products/${product.id}/variants`, { name: 'S', image_url: 'file:///etc/passwd' }), 422, 'invalid', 'image_url');
      assertError(await api.post(`/products/${product.id}/variants`, { name: 'S', price: { amount: '1', currency: 'EURO' } }), 422, 'invalid', 'price[currency]');
      const variant = await api.created<VariantJson>(`/products/${product.id}/variants`, { name: 'S' });
      assertError(await api.patch(`/variants/${variant.id}`, { name: ' ' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.patch(`/variants/${variant.id}`, { reference: 'r'.repeat(201) }), 422, 'invalid', 'reference');
      assert.deepEqual(await api.ok('GET', `/variants/${variant.id}`), variant);
      for (const ref of [FORGED, 'nope', t.ids.encode('product_variant', 2_000_000_000)]) {
        assertError(await api.get(`/variants/${ref}`), 404, 'not_found', 'id');
        assertError(await api.patch(`/variants/${ref}`, { name: 'X' }), 404, 'not_found', 'id');
        assertError(await api.delete(`/variants/${ref}`), 404, 'not_found', 'id');
      }
    }
  });
});
