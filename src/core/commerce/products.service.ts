import type { Updateable } from 'kysely';
import type { ProductVariantsTable } from '../../store/tables.js';
import { epochSeconds } from '../shared/clock.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import type { KeyBounds } from '../shared/pagination.js';
import { notFound } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import {
  checkedEntries,
  checkedLabels,
  checkedName,
  checkedText,
  checkedUrl,
  nested,
  parseLabels,
  pricing,
  readMoney,
  storedMoney,
  type MoneyInput,
  type PriceView,
  type Pricing,
} from './catalog.model.js';
import { releaseImages, syncImage } from './catalog-images.service.js';
import { resolveProductRefs, type ProductMatch } from './product-refs.service.js';
import { deleteProductRow, findProduct, insertProduct, pageOfProducts, updateProductRow, type ProductRow } from './products.repository.js';
import { clearRefundables } from './refunds.repository.js';
import {
  defaultVariant,
  deleteVariantRows,
  firstVariantWith,
  insertVariant,
  setProductSource,
  updateVariantRow,
  variantsOfProducts,
  type VariantRow,
} from './variants.repository.js';

export type { ProductRow } from './products.repository.js';
export type { VariantRow } from './variants.repository.js';

/**
 * Products and their variants. A product's price, reference, sku, image and source are
 * those of its default variant (a hidden row with the product's name); `variants` are the
 * others. A variant without a price or image shows its product's.
 */
export interface Variant {
  readonly id: number;
  readonly productId: number;
  readonly name: string;
  readonly price: PriceView | null;
  readonly reference: string | null;
  readonly sku: string | null;
  readonly imageUrl: string | null;
  readonly source: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
}

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly brand: string | null;
  readonly categories: string[];
  readonly collection: string[];
  readonly tags: string[];
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
  readonly price: PriceView | null;
  readonly reference: string | null;
  readonly sku: string | null;
  readonly imageUrl: string | null;
  readonly source: string | null;
  readonly variants: Variant[];
}

/** A variant's parameters; undefined leaves a field as it is, null clears it. */
export interface VariantInput {
  readonly name?: string | null | undefined;
  readonly price?: MoneyInput | null | undefined;
  readonly reference?: string | null | undefined;
  readonly sku?: string | null | undefined;
  readonly imageUrl?: string | null | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
  /** In a product update's `variants`: the variant this entry keeps and changes. */
  readonly id?: number | undefined;
  /** Where the hash was given (`variants[0]`); empty at the top level. */
  readonly parameter?: string | undefined;
}

export interface ProductInput {
  readonly name?: string | null | undefined;
  readonly brand?: string | null | undefined;
  readonly categories?: readonly string[] | undefined;
  readonly collection?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly price?: MoneyInput | null | undefined;
  readonly reference?: string | null | undefined;
  readonly sku?: string | null | undefined;
  readonly imageUrl?: string | null | undefined;
  readonly source?: string | null | undefined;
  /** Create: variants to add. Update: the variants the product keeps (`[]`: none). */
  readonly variants?: readonly VariantInput[] | undefined;
  /** Variants to add. */
  readonly newVariants?: readonly VariantInput[] | undefined;
  /** Where the hash was given (`items[0][product]`); empty at the top level. */
  readonly parameter?: string | undefined;
}

/** How a client names a product or variant: an id of either kind (decoded), or a reference or sku. */
export interface ProductRef {
  readonly productId?: number | undefined;
  readonly variantId?: number | undefined;
  readonly text: string;
}

export function toVariant(row: VariantRow, parent: VariantRow | undefined, prices: Pricing): Variant {
  const money = storedMoney(row.price_e4, row.currency) ?? (parent ? storedMoney(parent.price_e4, parent.currency) : null);
  return {
    id: row.id,
    productId: row.product_id,
    name: row.name,
    price: money ? prices.view(money) : null,
    reference: row.reference,
    sku: row.sku,
    imageUrl: row.image_url ?? parent?.image_url ?? null,
    source: parent ? parent.source : row.source,
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
  };
}

export function toProduct(row: ProductRow, variants: readonly VariantRow[], prices: Pricing): Product {
  const main = variants.find((variant) => variant.is_default === 1);
  const money = main ? storedMoney(main.price_e4, main.currency) : null;
  return {
    id: row.id,
    name: row.name,
    brand: row.brand,
    categories: parseLabels(row.categories),
    collection: parseLabels(row.collection),
    tags: parseLabels(row.tags),
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
    price: money ? prices.view(money) : null,
    reference: main?.reference ?? null,
    sku: main?.sku ?? null,
    imageUrl: main?.image_url ?? null,
    source: main?.source ?? null,
    variants: variants.filter((variant) => variant.is_default === 0).map((variant) => toVariant(variant, main, prices)),
  };
}

/** The validated columns of a variant's parameters (`required`: a new variant, which needs a name). */
export function variantColumns(input: VariantInput, required: boolean): Updateable<ProductVariantsTable> {
  const prefix = input.parameter ?? '';
  const name = checkedName(input.name, nested(prefix, 'name'), required);
  const money = input.price === null ? null : readMoney(input.price);
  const reference = checkedText(input.reference, nested(prefix, 'reference'));
  const sku = checkedText(input.sku, nested(prefix, 'sku'));
  const imageUrl = checkedUrl(input.imageUrl, nested(prefix, 'image_url'));
  const metadata = metadataText(input.metadata, nested(prefix, 'metadata'));
  return {
    ...(name === undefined ? {} : { name }),
    ...(money === undefined ? {} : { price_e4: money?.e4 ?? null, currency: money?.currency ?? null }),
    ...(reference === undefined ? {} : { reference }),
    ...(sku === undefined ? {} : { sku }),
    ...(imageUrl === undefined ? {} : { image_url: imageUrl }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** A new non-default variant of a product; its source is the product's. */
export async function addVariant(ctx: TenantContext, productId: number, input: VariantInput, source: string | null, at: number): Promise<VariantRow> {
  const columns = variantColumns(input, true);
  const row = await insertVariant(ctx.tenant, {
    product_id: productId,
    is_default: 0,
    name: columns.name ?? '',
    price_e4: columns.price_e4 ?? null,
    currency: columns.currency ?? null,
    reference: columns.reference ?? null,
    sku: columns.sku ?? null,
    image_url: columns.image_url ?? null,
    source,
    metadata: columns.metadata ?? '{}',
    created_at: at,
    updated_at: at,
  });
  if (row.image_url !== null) await syncImage(ctx, 'product_variants', row.id);
  return row;
}

/** The variant (any, the default included) whose reference, else sku, is this text. */
async function variantByText(ctx: TenantContext, text: string, nonDefaultOnly: boolean): Promise<VariantRow | undefined> {
  return (await firstVariantWith(ctx.tenant, 'reference', text, { nonDefaultOnly })) ?? (await firstVariantWith(ctx.tenant, 'sku', text, { nonDefaultOnly }));
}

/** The product a path names: its id, else the reference, else the sku of any of its variants. */
export async function resolveProduct(ctx: TenantContext, ref: Omit<ProductRef, 'variantId'>, parameter = 'id'): Promise<ProductRow> {
  const byId = ref.productId === undefined ? undefined : await findProduct(ctx.tenant, ref.productId);
  if (byId) return byId;
  const variant = await variantByText(ctx, ref.text, false);
  const product = variant ? await findProduct(ctx.tenant, variant.product_id) : undefined;
  if (!product) throw notFound('Product', parameter);
  return product;
}

/**
 * What a line item or an event names: a product id (its default variant), a variant id, a
 * reference, then a sku (a variant's reference or sku selects that variant).
 */
export async function resolveProductRef(ctx: TenantContext, ref: ProductRef, parameter: string): Promise<ProductMatch> {
  const [match] = await resolveProductRefs(ctx, [ref]);
  if (!match) throw notFound('Product', parameter);
  return match;
}

async function loadProducts(ctx: TenantContext, rows: readonly ProductRow[], prices: Pricing): Promise<Product[]> {
  const variants = await variantsOfProducts(
    ctx.tenant,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toProduct(
      row,
      variants.filter((variant) => variant.product_id === row.id),
      prices,
    ),
  );
}

export async function loadProduct(ctx: TenantContext, row: ProductRow, prices?: Pricing): Promise<Product> {
  const [product] = await loadProducts(ctx, [row], prices ?? (await pricing(ctx)));
  if (!product) throw new Error('a loaded product vanished');
  return product;
}

function productColumns(input: ProductInput) {
  const prefix = input.parameter ?? '';
  const brand = checkedText(input.brand, nested(prefix, 'brand'));
  const categories = checkedLabels(input.categories, nested(prefix, 'categories'));
  const collection = checkedLabels(input.collection, nested(prefix, 'collection'));
  const tags = checkedLabels(input.tags, nested(prefix, 'tags'));
  const metadata = metadataText(input.metadata, nested(prefix, 'metadata'));
  return {
    ...(brand === undefined ? {} : { brand }),
    ...(categories === undefined ? {} : { categories }),
    ...(collection === undefined ? {} : { collection }),
    ...(tags === undefined ? {} : { tags }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** The default variant's part of a product's parameters (it has no metadata of its own). */
const mainVariantInput = (input: ProductInput): VariantInput => ({
  name: input.name,
  price: input.price,
  reference: input.reference,
  sku: input.sku,
  imageUrl: input.imageUrl,
  parameter: input.parameter,
});

/** Creates a product with its default variant and `variants`; runs in the caller's transaction. */
export async function insertNewProduct(ctx: TenantContext, input: ProductInput): Promise<{ product: ProductRow; variant: VariantRow }> {
  const prefix = input.parameter ?? '';
  const main = variantColumns(mainVariantInput(input), true);
  const columns = productColumns(input);
  const source = checkedText(input.source, nested(prefix, 'source')) ?? null;
  const now = epochSeconds(ctx.clock);
  const product = await insertProduct(ctx.tenant, { name: main.name ?? '', metadata: '{}', categories: '[]', collection: '[]', tags: '[]', ...columns, created_at: now, updated_at: now });
  const variant = await insertVariant(ctx.tenant, {
    product_id: product.id,
    is_default: 1,
    name: product.name,
    price_e4: main.price_e4 ?? null,
    currency: main.currency ?? null,
    reference: main.reference ?? null,
    sku: main.sku ?? null,
    image_url: main.image_url ?? null,
    source,
    metadata: '{}',
    created_at: now,
    updated_at: now,
  });
  if (variant.image_url !== null) await syncImage(ctx, 'product_variants', variant.id);
  for (const key of ['variants', 'new_variants'] as const) {
    const entries = checkedEntries(key === 'variants' ? input.variants : input.newVariants, nested(prefix, key));
    for (const [index, entry] of entries.entries()) {
      await addVariant(ctx, product.id, { ...entry, parameter: entry.parameter ?? nested(nested(prefix, key), String(index)) }, source, now);
    }
  }
  return { product, variant };
}

export async function createProduct(ctx: TenantContext, input: ProductInput): Promise<Product> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => loadProduct(trx, (await insertNewProduct(trx, input)).product, prices));
}

/** The existing product (and variant) whose reference, else sku, is the parameters' own. */
export async function findProductLike(ctx: TenantContext, input: ProductInput): Promise<{ product: ProductRow; variant: VariantRow } | undefined> {
  for (const column of ['reference', 'sku'] as const) {
    const key = input[column]?.trim();
    const variant = key ? await firstVariantWith(ctx.tenant, column, key, { nonDefaultOnly: false }) : undefined;
    const product = variant ? await findProduct(ctx.tenant, variant.product_id) : undefined;
    if (variant && product) return { product, variant };
  }
  return undefined;
}

/**
 * The product a product-parameters hash describes: an existing one with its reference or
 * sku (as it is: the hash changes nothing), else a new one. Tracking can send the same hash
 * with every event without making a product each time.
 */
export async function findOrCreateProduct(ctx: TenantContext, input: ProductInput): Promise<{ product: ProductRow; variant: VariantRow }> {
  return (await findProductLike(ctx, input)) ?? insertNewProduct(ctx, input);
}

export async function getProduct(ctx: TenantContext, ref: Omit<ProductRef, 'variantId'>): Promise<Product> {
  return loadProduct(ctx, await resolveProduct(ctx, ref));
}

/** `variants` (update): entries with an id keep and change that variant, others are new, the rest go. */
async function replaceVariants(ctx: TenantContext, product: ProductRow, entries: readonly VariantInput[], source: string | null, at: number): Promise<void> {
  const current = (await variantsOfProducts(ctx.tenant, [product.id])).filter((variant) => variant.is_default === 0);
  const kept = new Set<number>();
  for (const [index, entry] of entries.entries()) {
    const parameter = entry.parameter ?? `variants[${index}]`;
    if (entry.id === undefined) continue;
    if (!current.some((variant) => variant.id === entry.id)) throw notFound('Variant', nested(parameter, 'id'));
    kept.add(entry.id);
    await updateVariantRow(ctx.tenant, entry.id, { ...variantColumns({ ...entry, parameter }, false), updated_at: at });
    if (entry.imageUrl !== undefined) await syncImage(ctx, 'product_variants', entry.id);
  }
  const dropped = current.filter((variant) => !kept.has(variant.id)).map((variant) => variant.id);
  await releaseImages(ctx, 'product_variants', dropped);
  await deleteVariantRows(ctx.tenant, dropped);
  for (const [index, entry] of entries.entries()) {
    if (entry.id === undefined) await addVariant(ctx, product.id, { ...entry, parameter: entry.parameter ?? `variants[${index}]` }, source, at);
  }
}

export async function updateProduct(ctx: TenantContext, ref: Omit<ProductRef, 'variantId'>, input: ProductInput): Promise<Product> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const product = await resolveProduct(trx, ref);
    const main = await defaultVariant(trx.tenant, product.id);
    if (!main) throw new Error(`product ${product.id} has no default variant`);
    const mainColumns = variantColumns(mainVariantInput(input), false);
    const columns = productColumns(input);
    const source = checkedText(input.source, 'source');
    const now = epochSeconds(ctx.clock);
    await updateProductRow(trx.tenant, product.id, { ...columns, ...(mainColumns.name === undefined ? {} : { name: mainColumns.name }), updated_at: now });
    await updateVariantRow(trx.tenant, main.id, { ...mainColumns, updated_at: now });
    if (input.imageUrl !== undefined) await syncImage(trx, 'product_variants', main.id);
    if (source !== undefined) await setProductSource(trx.tenant, product.id, source, now);
    const productSource = source === undefined ? main.source : source;
    if (input.variants !== undefined) await replaceVariants(trx, product, checkedEntries(input.variants, 'variants'), productSource, now);
    for (const [index, entry] of checkedEntries(input.newVariants, 'new_variants').entries()) {
      await addVariant(trx, product.id, { ...entry, parameter: entry.parameter ?? `new_variants[${index}]` }, productSource, now);
    }
    const updated = await findProduct(trx.tenant, product.id);
    if (!updated) throw new Error('an updated product vanished');
    return loadProduct(trx, updated, prices);
  });
}

/**
 * Deletes the product, its variants and its cart lines. Orders keep their lines (with the
 * name, sku and price they were sold at, and no product) and their totals.
 */
export async function deleteProduct(ctx: TenantContext, ref: Omit<ProductRef, 'variantId'>): Promise<Product> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveProduct(trx, ref);
    const product = await loadProduct(trx, row, prices);
    const now = epochSeconds(ctx.clock);
    await clearRefundables(trx.tenant, 'product', row.id, now);
    const variants = await variantsOfProducts(trx.tenant, [row.id]);
    await releaseImages(
      trx,
      'product_variants',
      variants.map((variant) => variant.id),
    );
    await deleteProductRow(trx.tenant, row.id, now);
    return product;
  });
}

export async function listProducts(ctx: TenantContext, bounds: KeyBounds): Promise<Product[]> {
  return loadProducts(ctx, await pageOfProducts(ctx.tenant, bounds), await pricing(ctx));
}
