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
  return (await ctx.tenant.selectFrom('product_variants').select('id').where('reference', '=', reference).orderBy('id').executeTakeFirstOrThrow()).id;
}

/** What the one-by-one resolution finds, as ids; undefined where it answers "not found". */
async function oneByOne(ctx: TenantContext, ref: ProductRef): Promise<{ product: number; variant: number } | undefined> {
  try {
    const { product, variant } = await resolveProductRef(ctx, ref, 'product');
    return { product: product.id, variant: variant.id };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return undefined;
    throw error;
  }
}

test('many product references resolve together exactly as one by one: id, default variant, variant id, reference before sku, own business only', async () => {
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
  const red = await variantId(ctx, 'shirt-red');
  const foreignVariant = await variantId(other, 'shirt');

  const refs: ProductRef[] = [
    { productId: shirt.id, text: 'ignored' },
    { productId: foreign.id, text: 'nothing' },
    { productId: foreign.id, text: 'dup' },
    { productId: 999_999, text: 'only-sku' },
    { variantId: red, text: 'ignored' },
    { variantId: foreignVariant, text: 'shirt' },
    { productId: shirt.id, text: 'shirt' },
    ...['shirt', 'dup', 'X', 'only-sku', 'shirt-red', 'S-1R', 'S-1', 'nope', 'b-sku', 'dup'].map((text) => ({ text })),
  ];
  const together = (await resolveProductRefs(ctx, refs)).map((match) => match && { product: match.product.id, variant: match.variant.id });
  const alone = [];
  for (const ref of refs) alone.push(await oneByOne(ctx, ref));
  assert.deepEqual(together, alone);

  // The cases the comparison covers, spelled out.
  const productOf = (text: string) => together[refs.findIndex((ref) => ref.text === text && ref.productId === undefined && ref.variantId === undefined)]?.product;
  assert.equal(productOf('dup'), dup.id);
  assert.equal(productOf('X'), x.id);
  assert.equal(productOf('only-sku'), onlySku.id);
  assert.equal(productOf('shirt-red'), shirt.id, 'a reference before a sku');
  assert.equal(together[4]?.variant, red);
  assert.equal(together[5]?.product, shirt.id, "another business's variant id is not there: the text decides");
  assert.equal(productOf('b-sku'), undefined);
  assert.equal(together[1], undefined);
  assert.deepEqual(await resolveProductRefs(ctx, []), []);
});
