import type { Selectable, Updateable } from 'kysely';
import type { FormsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type FormRow = Selectable<FormsTable>;

export function insertForm(tenant: TenantDb, values: { name: string; metadata: string; at: number }): Promise<FormRow> {
  const { at, ...columns } = values;
  return tenant.db
    .insertInto('forms')
    .values({ business_id: tenant.businessId, ...columns, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findForm(tenant: TenantDb, id: number): Promise<FormRow | undefined> {
  return tenant.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFormByName(tenant: TenantDb, name: string): Promise<FormRow | undefined> {
  return tenant.selectFrom('forms').selectAll().where('name', '=', name).executeTakeFirst();
}

export function pageOfForms(tenant: TenantDb, bounds: KeyBounds): Promise<FormRow[]> {
  return withKeyBounds(tenant.selectFrom('forms').selectAll(), 'id', bounds).execute();
}

export function updateFormRow(tenant: TenantDb, id: number, changes: Omit<Updateable<FormsTable>, 'id' | 'business_id' | 'created_at'>): Promise<FormRow> {
  return tenant.updateTable('forms').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteFormRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('forms').where('id', '=', id).execute();
}
