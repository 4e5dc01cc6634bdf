import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { PropertiesTable, PropertyValuesTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type PropertyRow = Selectable<PropertiesTable>;
export type PropertyValueRow = Selectable<PropertyValuesTable>;

export function insertProperty(tenant: TenantDb, row: Omit<Insertable<PropertiesTable>, 'business_id'>): Promise<PropertyRow> {
  return tenant.db
    .insertInto('properties')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findProperty(tenant: TenantDb, id: number): Promise<PropertyRow | undefined> {
  return tenant.selectFrom('properties').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A named property of one scope (0: business-wide, else a profile id). */
export function findPropertyByName(tenant: TenantDb, scopeId: number, nameKey: string): Promise<PropertyRow | undefined> {
  return tenant.selectFrom('properties').selectAll().where('scope_id', '=', scopeId).where('name_key', '=', nameKey).executeTakeFirst();
}

/** Properties of a scope, optionally of one kind, in position order. */
export function propertiesOfScope(tenant: TenantDb, scopeId: number, kind?: string): Promise<PropertyRow[]> {
  let query = tenant.selectFrom('properties').selectAll().where('scope_id', '=', scopeId);
  if (kind !== undefined) query = query.where('kind', '=', kind);
  return query.orderBy('position').orderBy('id').execute();
}

export async function ownPropertyCount(tenant: TenantDb, profileId: number): Promise<number> {
  const row = await tenant.selectFrom('properties').select((eb) => eb.fn.countAll<number>().as('n')).where('scope_id', '=', profileId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function pageOfProperties(tenant: TenantDb, scopeId: number, bounds: KeyBounds): Promise<PropertyRow[]> {
  const query = tenant.selectFrom('properties').selectAll().where('scope_id', '=', scopeId);
  return withKeyBounds(query, 'id', bounds).execute();
}

export async function updatePropertyRow(tenant: TenantDb, id: number, changes: Updateable<PropertiesTable>): Promise<void> {
  await tenant.updateTable('properties').set(changes).where('id', '=', id).execute();
}

export async function deletePropertyRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('property_values').where('property_id', '=', id).execute();
  await tenant.deleteFrom('properties').where('id', '=', id).execute();
}

/** Shifts positions of a scope's properties of `kinds` in [from, to] by `delta`. */
export async function shiftPositions(tenant: TenantDb, scopeId: number, kinds: readonly string[], from: number, to: number, delta: 1 | -1): Promise<void> {
  await tenant
    .updateTable('properties')
    .set({ position: sql<number>`position + ${delta}` })
    .where('scope_id', '=', scopeId)
    .where('kind', 'in', kinds)
    .where('position', '>=', from)
    .where('position', '<=', to)
    .execute();
}

export async function maxPosition(tenant: TenantDb, scopeId: number, kinds: readonly string[]): Promise<number> {
  const row = await tenant
    .selectFrom('properties')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('scope_id', '=', scopeId)
    .where('kind', 'in', kinds)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

// Values

export function findValue(tenant: TenantDb, propertyId: number, profileId: number): Promise<PropertyValueRow | undefined> {
  return tenant.selectFrom('property_values').selectAll().where('property_id', '=', propertyId).where('profile_id', '=', profileId).executeTakeFirst();
}

export function valueHolder(tenant: TenantDb, uniqueKey: string): Promise<{ profile_id: number } | undefined> {
  return tenant.selectFrom('property_values').select('profile_id').where('unique_key', '=', uniqueKey).executeTakeFirst();
}

/** Writes a profile's value of a property with its search terms; returns the value's id. */
export async function upsertValue(tenant: TenantDb, row: Omit<Insertable<PropertyValuesTable>, 'business_id'>, terms: readonly string[]): Promise<number> {
  const existing = await findValue(tenant, row.property_id, row.profile_id);
  let id: number;
  if (existing) {
    id = existing.id;
    await tenant
      .updateTable('property_values')
      .set({ value: row.value, search_text: row.search_text, unique_key: row.unique_key, verified: row.verified, updated_at: row.updated_at })
      .where('id', '=', id)
      .execute();
    await tenant.deleteFrom('property_terms').where('value_id', '=', id).execute();
  } else {
    ({ id } = await tenant.db
      .insertInto('property_values')
      .values({ ...row, business_id: tenant.businessId })
      .returning('id')
      .executeTakeFirstOrThrow());
  }
  if (terms.length > 0) {
    await tenant.db
      .insertInto('property_terms')
      .values(terms.map((term) => ({ business_id: tenant.businessId, value_id: id, profile_id: row.profile_id, term })))
      .execute();
  }
  return id;
}

export async function deleteValue(tenant: TenantDb, propertyId: number, profileId: number): Promise<void> {
  await tenant.deleteFrom('property_values').where('property_id', '=', propertyId).where('profile_id', '=', profileId).execute();
}

export async function setVerified(tenant: TenantDb, valueId: number, verified: 0 | 1, at: number): Promise<void> {
  await tenant.updateTable('property_values').set({ verified, updated_at: at }).where('id', '=', valueId).execute();
}

export function valuesOfProperty(tenant: TenantDb, propertyId: number): Promise<Array<{ id: number; profile_id: number; value: string }>> {
  return tenant.selectFrom('property_values').select(['id', 'profile_id', 'value']).where('property_id', '=', propertyId).execute();
}

export async function setUniqueKey(tenant: TenantDb, valueId: number, key: string | null): Promise<void> {
  await tenant.updateTable('property_values').set({ unique_key: key }).where('id', '=', valueId).execute();
}

export async function clearUniqueKeys(tenant: TenantDb, propertyId: number): Promise<void> {
  await tenant.updateTable('property_values').set({ unique_key: null }).where('property_id', '=', propertyId).execute();
}
