import { epochSeconds } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { releaseImages, syncImage } from './catalog-images.service.js';
import { pricing, type Pricing } from './catalog.model.js';
import { addVariant, resolveProduct, toVariant, variantColumns, type ProductRef, type Variant, type VariantInput } from './products.service.js';
import { defaultVariant, deleteVariantRows, findVariant, firstVariantWith, updateVariantRow, variantsOfProducts, type VariantRow } from './variants.repository.js';

/**
 * Variants on their own routes, and the variants item parameters describe. Only a product's
 * non-default variants are addressable here: the default one is the product itself, changed
 * through the product.
 */
export interface VariantRef {
  /** The id, when the text decoded as a variant id. */
  readonly id?: number | undefined;
  /** Tried as a reference, then as a sku. */
  readonly text: string;
}

export async function resolveVariant(ctx: TenantContext, ref: VariantRef): Promise<VariantRow> {
  const byId = ref.id === undefined ? undefined : await findVariant(ctx.tenant, ref.id);
  const row =
    (byId?.is_default === 0 ? byId : undefined) ??
    (await firstVariantWith(ctx.tenant, 'reference', ref.text, { nonDefaultOnly: true })) ??
    (await firstVariantWith(ctx.tenant, 'sku', ref.text, { nonDefaultOnly: true }));
  if (!row) throw notFound('Variant');
  return row;
}

/** The product's non-default variant whose reference, else sku, is the parameters' own. */
export async function findVariantLike(ctx: TenantContext, productId: number, input: VariantInput): Promise<VariantRow | undefined> {
  const variants = (await variantsOfProducts(ctx.tenant, [productId])).filter((variant) => variant.is_default === 0);
  for (const column of ['reference', 'sku'] as const) {
    const key = input[column]?.trim();
    const variant = key ? variants.find((candidate) => candidate[column] === key) : undefined;
    if (variant) return variant;
  }
  return undefined;
}

/**
 * The variant of a product that variant parameters describe: the product's variant with
 * their reference or sku (as it is), else a new one with the product's source. Parameters
 * with neither make a new variant each time.
 */
export async function findOrCreateVariant(ctx: TenantContext, productId: number, input: VariantInput): Promise<VariantRow> {
  const existing = await findVariantLike(ctx, productId, input);
  if (existing) return existing;
  const main = await defaultVariant(ctx.tenant, productId);
  return addVariant(ctx, productId, input, main?.source ?? null, epochSeconds(ctx.clock));
}

async function render(ctx: TenantContext, row: VariantRow, prices: Pricing): Promise<Variant> {
  return toVariant(row, await defaultVariant(ctx.tenant, row.product_id), prices);
}

/** A new variant of the product the path names (by id, reference or sku); its source is the product's. */
export async function createVariant(ctx: TenantContext, parent: Omit<ProductRef, 'variantId'>, input: VariantInput): Promise<Variant> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const product = await resolveProduct(trx, parent, 'product');
    const main = await defaultVariant(trx.tenant, product.id);
    const row = await addVariant(trx, product.id, input, main?.source ?? null, epochSeconds(ctx.clock));
    return toVariant(row, main, prices);
  });
}

export async function getVariant(ctx: TenantContext, ref: VariantRef): Promise<Variant> {
  const row = await resolveVariant(ctx, ref);
  return render(ctx, row, await pricing(ctx));
}

export async function updateVariant(ctx: TenantContext, ref: VariantRef, input: VariantInput): Promise<Variant> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveVariant(trx, ref);
    await updateVariantRow(trx.tenant, row.id, { ...variantColumns(input, false), updated_at: epochSeconds(ctx.clock) });
    if (input.imageUrl !== undefined) await syncImage(trx, 'product_variants', row.id);
    const updated = await findVariant(trx.tenant, row.id);
    if (!updated) throw new Error('an updated variant vanished');
    return render(trx, updated, prices);
  });
}

/** Deletes the variant; order and cart lines that named it stay, as lines of its product. */
export async function deleteVariant(ctx: TenantContext, ref: VariantRef): Promise<Variant> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveVariant(trx, ref);
    const variant = await render(trx, row, prices);
    await releaseImages(trx, 'product_variants', [row.id]);
    await deleteVariantRows(trx.tenant, [row.id]);
    return variant;
  });
}
