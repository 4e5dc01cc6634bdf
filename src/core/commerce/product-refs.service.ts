import type { TenantContext } from '../shared/tenant.js';
import { productsByIds, type ProductRow } from './products.repository.js';
import type { ProductRef } from './products.service.js';
import { defaultVariantsOf, firstVariantsWith, variantsByIds, type VariantRow } from './variants.repository.js';

export interface ProductMatch {
  readonly product: ProductRow;
  readonly variant: VariantRow;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/**
 * What line items and events name, for many references at once: a product id (and its
 * default variant), else a variant id, else the text as a reference, then as a sku (a
 * variant's reference or sku selects that variant; the first found wins, default variants
 * before others, then the oldest). A few queries for all of them: a batch of tracked events
 * names its products this way, and `resolveProductRef` (products.service.ts) is this for one.
 * Undefined where nothing matches.
 */
export async function resolveProductRefs(ctx: TenantContext, refs: readonly ProductRef[]): Promise<Array<ProductMatch | undefined>> {
  const { tenant } = ctx;
  const productIds = unique(refs.flatMap((ref) => (ref.productId === undefined ? [] : [ref.productId])));
  const [named, defaults] = await Promise.all([productsByIds(tenant, productIds), defaultVariantsOf(tenant, productIds)]);
  const products = new Map(named.map((row) => [row.id, row]));
  const defaultOf = new Map(defaults.map((row) => [row.product_id, row]));
  const byProductId = refs.map((ref): ProductMatch | undefined => {
    const product = ref.productId === undefined ? undefined : products.get(ref.productId);
    const variant = product && defaultOf.get(product.id);
    return product && variant ? { product, variant } : undefined;
  });

  // The rest name a variant: by its id, else by the text as a reference, else as a sku.
  const rest = refs.filter((_ref, index) => !byProductId[index]);
  const byId = new Map((await variantsByIds(tenant, unique(rest.flatMap((ref) => (ref.variantId === undefined ? [] : [ref.variantId]))))).map((row) => [row.id, row]));
  const idOf = (ref: ProductRef) => (ref.variantId === undefined ? undefined : byId.get(ref.variantId));
  const texts = unique(rest.filter((ref) => !idOf(ref)).map((ref) => ref.text));
  const byReference = await firstVariantsWith(tenant, 'reference', texts);
  const bySku = await firstVariantsWith(
    tenant,
    'sku',
    texts.filter((text) => !byReference.has(text)),
  );
  const variantOf = (ref: ProductRef) => idOf(ref) ?? byReference.get(ref.text) ?? bySku.get(ref.text);

  const missing = unique(rest.flatMap((ref) => variantOf(ref)?.product_id ?? [])).filter((id) => !products.has(id));
  for (const row of await productsByIds(tenant, missing)) products.set(row.id, row);
  return refs.map((ref, index) => {
    const match = byProductId[index];
    if (match) return match;
    const variant = variantOf(ref);
    const product = variant && products.get(variant.product_id);
    return product && variant ? { product, variant } : undefined;
  });
}
