import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ProductsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type ProductRow = Selectable<ProductsTable>;

export function insertProduct(tenant: TenantDb, row: Omit<Insertable<ProductsTable>, 'business_id'>): Promise<ProductRow> {
  return tenant.db
    .insertInto('products')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findProduct(tenant: TenantDb, id: number): Promise<ProductRow | undefined> {
  return tenant.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

export function productsByIds(tenant: TenantDb, ids: readonly number[]): Promise<ProductRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('products').selectAll().where('id', 'in', ids).execute();
}

export async function updateProductRow(tenant: TenantDb, id: number, changes: Updateable<ProductsTable>): Promise<void> {
  await tenant.updateTable('products').set(changes).where('id', '=', id).execute();
}

/** Newest first. */
export function pageOfProducts(tenant: TenantDb, bounds: KeyBounds): Promise<ProductRow[]> {
  return withKeyBounds(tenant.selectFrom('products').selectAll(), 'id', bounds).execute();
}

/** The product, its variants and its cart lines; order lines stay, without a product. */
export async function deleteProductRow(tenant: TenantDb, id: number, at: number): Promise<void> {
  await tenant.updateTable('order_items').set({ product_id: null, variant_id: null, updated_at: at }).where('product_id', '=', id).execute();
  await tenant.deleteFrom('cart_items').where('product_id', '=', id).execute();
  await tenant.deleteFrom('product_variants').where('product_id', '=', id).execute();
  await tenant.deleteFrom('products').where('id', '=', id).execute();
}
