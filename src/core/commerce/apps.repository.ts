import type { Selectable, Updateable } from 'kysely';
import type { AppsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type AppRow = Selectable<AppsTable>;

export function insertApp(tenant: TenantDb, values: { name: string; image_url: string | null; metadata: string; at: number }): Promise<AppRow> {
  const { at, ...columns } = values;
  return tenant.db
    .insertInto('apps')
    .values({ business_id: tenant.businessId, ...columns, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findApp(tenant: TenantDb, id: number): Promise<AppRow | undefined> {
  return tenant.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAppByName(tenant: TenantDb, name: string): Promise<AppRow | undefined> {
  return tenant.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
}

export function pageOfApps(tenant: TenantDb, bounds: KeyBounds): Promise<AppRow[]> {
  return withKeyBounds(tenant.selectFrom('apps').selectAll(), 'id', bounds).execute();
}

export function updateAppRow(tenant: TenantDb, id: number, changes: Omit<Updateable<AppsTable>, 'id' | 'business_id' | 'created_at'>): Promise<AppRow> {
  return tenant.updateTable('apps').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteAppRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('apps').where('id', '=', id).execute();
}
