import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CartItemsTable, CartsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type CartRow = Selectable<CartsTable>;
export type CartItemRow = Selectable<CartItemsTable>;

export function insertCart(tenant: TenantDb, row: Omit<Insertable<CartsTable>, 'business_id'>): Promise<CartRow> {
  return tenant.db
    .insertInto('carts')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The cart; with `lock` (where the database has row locks) it stays locked until the
 * transaction ends, so concurrent item changes to one cart queue.
 */
export function findCart(tenant: TenantDb, id: number, options: { lock: boolean } = { lock: false }): Promise<CartRow | undefined> {
  return tenant
    .selectFrom('carts')
    .selectAll()
    .where('id', '=', id)
    .$if(options.lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

export async function updateCartRow(tenant: TenantDb, id: number, changes: Updateable<CartsTable>): Promise<void> {
  await tenant.updateTable('carts').set(changes).where('id', '=', id).execute();
}

export async function deleteCartRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('cart_items').where('cart_id', '=', id).execute();
  await tenant.deleteFrom('carts').where('id', '=', id).execute();
}

/** Newest first. */
export function pageOfCarts(tenant: TenantDb, bounds: KeyBounds): Promise<CartRow[]> {
  return withKeyBounds(tenant.selectFrom('carts').selectAll(), 'id', bounds).execute();
}

export function insertCartItem(tenant: TenantDb, row: Omit<Insertable<CartItemsTable>, 'business_id'>): Promise<CartItemRow> {
  return tenant.db
    .insertInto('cart_items')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The items of these carts, oldest first. */
export function cartItemRows(tenant: TenantDb, cartIds: readonly number[]): Promise<CartItemRow[]> {
  if (cartIds.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('cart_items').selectAll().where('cart_id', 'in', cartIds).orderBy('cart_id').orderBy('id').execute();
}

export async function updateCartItemRow(tenant: TenantDb, id: number, changes: Updateable<CartItemsTable>): Promise<void> {
  await tenant.updateTable('cart_items').set(changes).where('id', '=', id).execute();
}

export async function deleteCartItemRows(tenant: TenantDb, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tenant.deleteFrom('cart_items').where('id', 'in', ids).execute();
}
