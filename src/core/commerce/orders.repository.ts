import type { Insertable, Selectable, Updateable } from 'kysely';
import type { OrderItemsTable, OrdersTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type OrderRow = Selectable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;

export function insertOrder(tenant: TenantDb, row: Omit<Insertable<OrdersTable>, 'business_id'>): Promise<OrderRow> {
  return tenant.db
    .insertInto('orders')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The order; with `lock` (where the database has row locks) it stays locked until the
 * transaction ends, so two item changes to one order recompute its total one after the other.
 */
export function findOrder(tenant: TenantDb, id: number, options: { lock: boolean } = { lock: false }): Promise<OrderRow | undefined> {
  return tenant
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', id)
    .$if(options.lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

export function ordersByIds(tenant: TenantDb, ids: readonly number[]): Promise<OrderRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
}

export async function updateOrderRow(tenant: TenantDb, id: number, changes: Updateable<OrdersTable>): Promise<void> {
  await tenant.updateTable('orders').set(changes).where('id', '=', id).execute();
}

export async function deleteOrderRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('order_items').where('order_id', '=', id).execute();
  await tenant.deleteFrom('orders').where('id', '=', id).execute();
}

/** Newest first. */
export function pageOfOrders(tenant: TenantDb, bounds: KeyBounds): Promise<OrderRow[]> {
  return withKeyBounds(tenant.selectFrom('orders').selectAll(), 'id', bounds).execute();
}

export function insertOrderItem(tenant: TenantDb, row: Omit<Insertable<OrderItemsTable>, 'business_id'>): Promise<OrderItemRow> {
  return tenant.db
    .insertInto('order_items')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findOrderItem(tenant: TenantDb, orderId: number, id: number): Promise<OrderItemRow | undefined> {
  return tenant.selectFrom('order_items').selectAll().where('order_id', '=', orderId).where('id', '=', id).executeTakeFirst();
}

/** The items of these orders, oldest first. */
export function orderItemRows(tenant: TenantDb, orderIds: readonly number[]): Promise<OrderItemRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('order_items').selectAll().where('order_id', 'in', orderIds).orderBy('order_id').orderBy('id').execute();
}

export async function updateOrderItemRow(tenant: TenantDb, id: number, changes: Updateable<OrderItemsTable>): Promise<void> {
  await tenant.updateTable('order_items').set(changes).where('id', '=', id).execute();
}

export async function deleteOrderItemRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('order_items').where('id', '=', id).execute();
}
