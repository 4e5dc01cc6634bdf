import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testCore, type TestCore } from '../../../test/support/context.js';
import { createBusiness } from '../business/businesses.service.js';
import { DomainError } from '../shared/errors.js';
import { forBusiness, type TenantContext } from '../shared/tenant.js';
import { resolveProductRefs } from './product-refs.service.js';
import { createProduct, resolveProductRef, type ProductRef } from './products.service.js';

let core: TestCore;
before(async () => {
  core = await testCore();
});
after(() => core.dispose());

async function variantId(ctx: TenantContext, reference: string): Promise<number> {
  return (await ctx.tenant.selectFrom('product_variants').select('id').where('reference', '=', reference).where('is_default', '=', 0).executeTakeFirstOrThrow()).id;
}

async function defaultOf(ctx: TenantContext, productId: number): Promise<{ product: number; variant: number }> {
  const row = await ctx.tenant.selectFrom('product_variants').select('id').where('product_id', '=', productId).where('is_default', '=', 1).executeTakeFirstOrThrow();
  return { product: productId, variant: row.id };
}

test('product references resolve together: id and default variant, variant id, reference before sku, default variants first, own business only', async () => {
  const ctx = forBusiness(core, (await createBusiness(core, { name: 'Refs' })).business.id);
  const other = forBusiness(core, (await createBusiness(core, { name: 'Other refs' })).business.id);
  const shirt = await createProduct(ctx, {
    name: 'Shirt',
    reference: 'shirt',
    sku: 'S-1',
    variants: [
      { name: 'Red', reference: 'shirt-red', sku: 'S-1R' },
      { name: 'Blue', reference: 'dup', sku: 'X' },
    ],
  });
  // Its default variant's reference is also a variant's of the shirt: the default one comes first.
  const dup = await createProduct(ctx, { name: 'Dup', reference: 'dup', sku: 'shirt-red' });
  // A reference wins over a sku, even an older variant's.
  const x = await createProduct(ctx, { name: 'X', reference: 'X' });
  const onlySku = await createProduct(ctx, { name: 'Only sku', sku: 'only-sku' });
  const foreign = await createProduct(other, { name: 'Foreign', reference: 'shirt', sku: 'b-sku' });
  const red = { product: shirt.id, variant: await variantId(ctx, 'shirt-red') };
  const foreignVariant = (await defaultOf(other, foreign.id)).variant;
  const [shirtDefault, dupDefault, xDefault, onlySkuDefault] = await Promise.all([shirt, dup, x, onlySku].map((product) => defaultOf(ctx, product.id)));

  const cases: Array<[ProductRef, { product: number; variant: number } | undefined, string]> = [
    [{ productId: shirt.id, text: 'ignored' }, shirtDefault, 'a product id names its default variant'],
    [{ productId: foreign.id, text: 'nothing' }, undefined, "another business's product is not there"],
    [{ productId: foreign.id, text: 'dup' }, dupDefault, 'an id not found leaves the text to decide'],
    [{ productId: 999_999, text: 'only-sku' }, onlySkuDefault, 'an unknown id leaves the text to decide'],
    [{ variantId: red.variant, text: 'ignored' }, red, 'a variant id'],
    [{ variantId: foreignVariant, text: 'shirt' }, shirtDefault, "another business's variant is not there"],
    [{ text: 'shirt' }, shirtDefault, 'a reference'],
    [{ text: 'dup' }, dupDefault, 'a default variant before an older other one'],
    [{ text: 'X' }, xDefault, "a reference before an older variant's sku"],
    [{ text: 'only-sku' }, onlySkuDefault, 'a sku'],
    [{ text: 'shirt-red' }, red, "a variant's reference before another product's sku"],
    [{ text: 'S-1R' }, red, "a variant's sku names that variant"],
    [{ text: 'S-1' }, shirtDefault, "a product's sku"],
    [{ text: 'nope' }, undefined, 'nothing'],
    [{ text: 'b-sku' }, undefined, "another business's sku"],
    [{ text: 'dup' }, dupDefault, 'the same text twice'],
  ];
  const together = (await resolveProductRefs(ctx, cases.map(([ref]) => ref))).map((match) => match && { product: match.product.id, variant: match.variant.id });
  cases.forEach(([, expected, what], index) => assert.deepEqual(together[index], expected, what));
  // One reference alone resolves the same way, and names the parameter when nothing matches.
  assert.deepEqual((await resolveProductRef(ctx, { text: 'S-1R' }, 'product')).variant.id, red.variant);
  await assert.rejects(resolveProductRef(ctx, { text: 'nope' }, 'items[0][product]'), (error: unknown) => error instanceof DomainError && error.code === 'not_found' && error.parameter === 'items[0][product]');
  assert.deepEqual(await resolveProductRefs(ctx, []), []);
});
