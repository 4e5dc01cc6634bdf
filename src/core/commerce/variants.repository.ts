import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ProductVariantsTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type VariantRow = Selectable<ProductVariantsTable>;

export function insertVariant(tenant: TenantDb, row: Omit<Insertable<ProductVariantsTable>, 'business_id'>): Promise<VariantRow> {
  return tenant.db
    .insertInto('product_variants')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findVariant(tenant: TenantDb, id: number): Promise<VariantRow | undefined> {
  return tenant.selectFrom('product_variants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every variant of these products (the default one included), oldest first. */
export function variantsOfProducts(tenant: TenantDb, productIds: readonly number[]): Promise<VariantRow[]> {
  if (productIds.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('product_variants').selectAll().where('product_id', 'in', productIds).orderBy('product_id').orderBy('id').execute();
}

export function variantsByIds(tenant: TenantDb, ids: readonly number[]): Promise<VariantRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('product_variants').selectAll().where('id', 'in', ids).execute();
}

export function defaultVariantsOf(tenant: TenantDb, productIds: readonly number[]): Promise<VariantRow[]> {
  if (productIds.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('product_variants').selectAll().where('product_id', 'in', productIds).where('is_default', '=', 1).execute();
}

export async function defaultVariant(tenant: TenantDb, productId: number): Promise<VariantRow | undefined> {
  return (await defaultVariantsOf(tenant, [productId]))[0];
}

/**
 * The variant whose reference (or sku) is exactly this text. Neither is unique, so the
 * first wins: default variants (products) before the others, then the oldest.
 */
export async function firstVariantWith(tenant: TenantDb, column: 'reference' | 'sku', value: string, options: { nonDefaultOnly: boolean }): Promise<VariantRow | undefined> {
  return (await firstVariantsWith(tenant, column, [value], options)).get(value);
}

/** `firstVariantWith` for many values at once: the first variant of each value found, by value. */
export async function firstVariantsWith(tenant: TenantDb, column: 'reference' | 'sku', values: readonly string[], options = { nonDefaultOnly: false }): Promise<Map<string, VariantRow>> {
  const first = new Map<string, VariantRow>();
  if (values.length === 0) return first;
  let query = tenant.selectFrom('product_variants').selectAll().where(column, 'in', values);
  if (options.nonDefaultOnly) query = query.where('is_default', '=', 0);
  const rows = await query.orderBy('is_default', 'desc').orderBy('id').execute();
  for (const row of rows) {
    const value = row[column];
    if (value !== null && !first.has(value)) first.set(value, row);
  }
  return first;
}

export async function updateVariantRow(tenant: TenantDb, id: number, changes: Updateable<ProductVariantsTable>): Promise<void> {
  await tenant.updateTable('product_variants').set(changes).where('id', '=', id).execute();
}

/** A product's source is every variant's. */
export async function setProductSource(tenant: TenantDb, productId: number, source: string | null, at: number): Promise<void> {
  await tenant.updateTable('product_variants').set({ source, updated_at: at }).where('product_id', '=', productId).execute();
}

/**
 * Order lines that named the variant stay, as lines of its product (with the variant's name
 * and sku); cart lines of it go, as a cart holds one line per product or variant.
 */
export async function deleteVariantRows(tenant: TenantDb, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tenant.updateTable('order_items').set({ variant_id: null }).where('variant_id', 'in', ids).execute();
  await tenant.deleteFrom('cart_items').where('variant_id', 'in', ids).execute();
  await tenant.deleteFrom('product_variants').where('id', 'in', ids).where('is_default', '=', 0).execute();
}
