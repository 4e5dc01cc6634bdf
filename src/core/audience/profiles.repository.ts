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

/** The profile with this reference (the business's own id of the customer), if any. */
export async function profileIdByReference(tenant: TenantDb, reference: string): Promise<number | undefined> {
  return (await tenant.selectFrom('profiles').select('id').where('external_id', '=', reference).executeTakeFirst())?.id;
}

export async function updateProfileRow(tenant: TenantDb, id: number, changes: Updateable<ProfilesTable>): Promise<void> {
  await tenant.updateTable('profiles').set(changes).where('id', '=', id).execute();
}
