import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RefundableType, RefundsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type RefundRow = Selectable<RefundsTable>;

export function insertRefund(tenant: TenantDb, row: Omit<Insertable<RefundsTable>, 'business_id'>): Promise<RefundRow> {
  return tenant.db
    .insertInto('refunds')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRefund(tenant: TenantDb, id: number): Promise<RefundRow | undefined> {
  return tenant.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRefundRow(tenant: TenantDb, id: number, changes: Updateable<RefundsTable>): Promise<void> {
  await tenant.updateTable('refunds').set(changes).where('id', '=', id).execute();
}

export async function deleteRefundRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('refunds').where('id', '=', id).execute();
}

/** Newest first. */
export function pageOfRefunds(tenant: TenantDb, bounds: KeyBounds): Promise<RefundRow[]> {
  return withKeyBounds(tenant.selectFrom('refunds').selectAll(), 'id', bounds).execute();
}

/** A deleted order or product is no refund's refundable any more; the refunds and their totals stay. */
export async function clearRefundables(tenant: TenantDb, type: RefundableType, id: number, at: number): Promise<void> {
  await tenant.updateTable('refunds').set({ refundable_type: null, refundable_id: null, updated_at: at }).where('refundable_type', '=', type).where('refundable_id', '=', id).execute();
}
