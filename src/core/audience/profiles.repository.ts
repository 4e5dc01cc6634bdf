import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ProfilesTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type ProfileRow = Selectable<ProfilesTable>;

export function insertProfile(tenant: TenantDb, row: Omit<Insertable<ProfilesTable>, 'business_id'>): Promise<ProfileRow> {
  return tenant.db
    .insertInto('profiles')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findProfile(tenant: TenantDb, id: number): Promise<ProfileRow | undefined> {
  return tenant.selectFrom('profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProfileByExternalId(tenant: TenantDb, externalId: string): Promise<ProfileRow | undefined> {
  return tenant.selectFrom('profiles').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

export function findProfiles(tenant: TenantDb, ids: readonly number[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('profiles').selectAll().where('id', 'in', ids).execute();
}

export async function updateProfileRow(tenant: TenantDb, id: number, changes: Updateable<ProfilesTable>): Promise<void> {
  await tenant.updateTable('profiles').set(changes).where('id', '=', id).execute();
}

/** Moves the profile's last activity forward (never back). */
export async function touchProfileActivity(tenant: TenantDb, id: number, at: number): Promise<void> {
  await tenant.updateTable('profiles').set({ activity_at: at }).where('id', '=', id).where('activity_at', '<', at).execute();
}
