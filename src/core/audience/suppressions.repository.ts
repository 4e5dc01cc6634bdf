import type { Selectable } from 'kysely';
import type { SuppressionChannel, SuppressionsTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type SuppressionRow = Selectable<SuppressionsTable>;

export function findSuppression(tenant: TenantDb, address: string): Promise<SuppressionRow | undefined> {
  return tenant.selectFrom('suppressions').selectAll().where('address', '=', address).executeTakeFirst();
}

/** Adds the address unless it is listed already (the first entry stays). */
export async function insertSuppression(tenant: TenantDb, row: { channel: SuppressionChannel; address: string; reason: string; created_at: number }): Promise<void> {
  await tenant.db
    .insertInto('suppressions')
    .values({ ...row, business_id: tenant.businessId })
    .onConflict((oc) => oc.columns(['business_id', 'address']).doNothing())
    .execute();
}

export async function deleteSuppression(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('suppressions').where('id', '=', id).execute();
}

export function pageOfSuppressions(tenant: TenantDb, bounds: KeyBounds, channel?: SuppressionChannel): Promise<SuppressionRow[]> {
  let query = tenant.selectFrom('suppressions').selectAll();
  if (channel !== undefined) query = query.where('channel', '=', channel);
  return withKeyBounds(query, 'id', bounds).execute();
}
