import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ActionsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type ActionRow = Selectable<ActionsTable>;
export type ActionValues = Omit<Insertable<ActionsTable>, 'id' | 'business_id'>;

export function insertAction(tenant: TenantDb, values: ActionValues): Promise<ActionRow> {
  return tenant.db
    .insertInto('actions')
    .values({ business_id: tenant.businessId, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Inserts the rows whose name is new; a name a concurrent writer inserted first is kept as
 * theirs (the caller reads the names back).
 */
export async function insertMissingActions(tenant: TenantDb, rows: readonly ActionValues[]): Promise<void> {
  if (rows.length === 0) return;
  await tenant.db
    .insertInto('actions')
    .values(rows.map((row) => ({ business_id: tenant.businessId, ...row })))
    .onConflict((oc) => oc.columns(['business_id', 'name']).doNothing())
    .execute();
}

export function findAction(tenant: TenantDb, id: number): Promise<ActionRow | undefined> {
  return tenant.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findActionByName(tenant: TenantDb, name: string): Promise<ActionRow | undefined> {
  return tenant.selectFrom('actions').selectAll().where('name', '=', name).executeTakeFirst();
}

export function actionsNamed(tenant: TenantDb, names: readonly string[]): Promise<ActionRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('actions').selectAll().where('name', 'in', names).execute();
}

/** Custom actions only, newest first: built-in ones are the platform's, not the business's. */
export function pageOfCustomActions(tenant: TenantDb, bounds: KeyBounds): Promise<ActionRow[]> {
  return withKeyBounds(tenant.selectFrom('actions').selectAll().where('builtin', '=', 0), 'id', bounds).execute();
}

export function updateActionRow(tenant: TenantDb, id: number, changes: Omit<Updateable<ActionsTable>, 'id' | 'business_id' | 'builtin' | 'created_at'>): Promise<ActionRow> {
  return tenant.updateTable('actions').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Deletes the action and, through the foreign key's cascade, its events (and so their trail entries). */
export async function deleteActionRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('actions').where('id', '=', id).execute();
}
