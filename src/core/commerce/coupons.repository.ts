import type { Selectable, Updateable } from 'kysely';
import type { CouponsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type CouponRow = Selectable<CouponsTable>;

export interface CouponValues {
  readonly code: string;
  readonly description: string;
  readonly destination_url: string;
  readonly reference: string | null;
}

export function insertCoupon(tenant: TenantDb, values: CouponValues, at: number): Promise<CouponRow> {
  return tenant.db
    .insertInto('coupons')
    .values({ business_id: tenant.businessId, ...values, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findCoupon(tenant: TenantDb, id: number): Promise<CouponRow | undefined> {
  return tenant.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCouponByCode(tenant: TenantDb, code: string): Promise<CouponRow | undefined> {
  return tenant.selectFrom('coupons').selectAll().where('code', '=', code).executeTakeFirst();
}

export function pageOfCoupons(tenant: TenantDb, bounds: KeyBounds): Promise<CouponRow[]> {
  return withKeyBounds(tenant.selectFrom('coupons').selectAll(), 'id', bounds).execute();
}

export function updateCouponRow(tenant: TenantDb, id: number, changes: Omit<Updateable<CouponsTable>, 'id' | 'business_id' | 'created_at'>): Promise<CouponRow> {
  return tenant.updateTable('coupons').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteCouponRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('coupons').where('id', '=', id).execute();
}
