import { sql, type Selectable } from 'kysely';
import type { ListsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type ListRow = Selectable<ListsTable>;

/** LIKE treats % and _ as wildcards; a name prefix means them literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export function insertList(tenant: TenantDb, name: string, nameKey: string, at: number): Promise<ListRow> {
  return tenant.db
    .insertInto('lists')
    .values({ business_id: tenant.businessId, name, name_key: nameKey, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The list with this name, created when missing. A concurrent creator of the same name wins
 * quietly: its list is the one returned.
 */
export async function ensureList(tenant: TenantDb, name: string, nameKey: string, at: number): Promise<ListRow> {
  await tenant.db
    .insertInto('lists')
    .values({ business_id: tenant.businessId, name, name_key: nameKey, created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['business_id', 'name_key']).doNothing())
    .execute();
  return tenant.selectFrom('lists').selectAll().where('name_key', '=', nameKey).executeTakeFirstOrThrow();
}

export function findList(tenant: TenantDb, id: number): Promise<ListRow | undefined> {
  return tenant.selectFrom('lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findListByName(tenant: TenantDb, nameKey: string): Promise<ListRow | undefined> {
  return tenant.selectFrom('lists').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

/** Newest first; `prefix` (lower-case) keeps lists whose name starts with it. */
export function pageOfLists(tenant: TenantDb, bounds: KeyBounds, prefix?: string): Promise<ListRow[]> {
  let query = tenant.selectFrom('lists').selectAll();
  if (prefix) query = query.where(sql<boolean>`name_key like ${escapeLike(prefix) + '%'} escape '\\'`);
  return withKeyBounds(query, 'id', bounds).execute();
}

export async function renameList(tenant: TenantDb, id: number, name: string, nameKey: string, at: number): Promise<void> {
  await tenant.updateTable('lists').set({ name, name_key: nameKey, updated_at: at }).where('id', '=', id).execute();
}

export async function deleteListRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('list_members').where('list_id', '=', id).execute();
  await tenant.deleteFrom('lists').where('id', '=', id).execute();
}

/** True when the profile was not a member yet. */
export async function addMember(tenant: TenantDb, listId: number, profileId: number, at: number): Promise<boolean> {
  const result = await tenant.db
    .insertInto('list_members')
    .values({ business_id: tenant.businessId, list_id: listId, profile_id: profileId, created_at: at })
    .onConflict((oc) => oc.columns(['business_id', 'list_id', 'profile_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when the profile was a member. */
export async function removeMember(tenant: TenantDb, listId: number, profileId: number): Promise<boolean> {
  const result = await tenant.deleteFrom('list_members').where('list_id', '=', listId).where('profile_id', '=', profileId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The lists of each profile, oldest membership first. */
export function listsOfProfiles(tenant: TenantDb, profileIds: readonly number[]): Promise<Array<ListRow & { profile_id: number }>> {
  if (profileIds.length === 0) return Promise.resolve([]);
  return tenant
    .selectFrom('list_members')
    .innerJoin('lists', (join) => join.onRef('lists.id', '=', 'list_members.list_id').onRef('lists.business_id', '=', 'list_members.business_id'))
    .select(['lists.id', 'lists.business_id', 'lists.name', 'lists.name_key', 'lists.created_at', 'lists.updated_at', 'list_members.profile_id'])
    .where('list_members.profile_id', 'in', profileIds)
    .orderBy('list_members.created_at')
    .orderBy('lists.id')
    .execute();
}
