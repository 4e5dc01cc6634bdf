import type { Insertable, Selectable } from 'kysely';
import type { ProfileActivityTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type ActivityRow = Selectable<ProfileActivityTable>;

export async function insertActivity(tenant: TenantDb, row: Omit<Insertable<ProfileActivityTable>, 'business_id'>): Promise<void> {
  await tenant.db
    .insertInto('profile_activity')
    .values({ ...row, business_id: tenant.businessId })
    .execute();
}

export function activityOfProfile(tenant: TenantDb, profileId: number, bounds: KeyBounds): Promise<ActivityRow[]> {
  return withKeyBounds(tenant.selectFrom('profile_activity').selectAll().where('profile_id', '=', profileId), 'id', bounds).execute();
}
