import type { Insertable, Selectable, Updateable } from 'kysely';
import type { WebhooksTable } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type WebhookRow = Selectable<WebhooksTable>;

export function insertWebhook(tenant: TenantDb, values: Omit<Insertable<WebhooksTable>, 'business_id'>): Promise<WebhookRow> {
  return tenant.db
    .insertInto('webhooks')
    .values({ ...values, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findWebhook(tenant: TenantDb, id: number): Promise<WebhookRow | undefined> {
  return tenant.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export function pageOfWebhooks(tenant: TenantDb, bounds: KeyBounds): Promise<WebhookRow[]> {
  return withKeyBounds(tenant.selectFrom('webhooks').selectAll(), 'id', bounds).execute();
}

export async function countWebhooks(tenant: TenantDb): Promise<number> {
  const row = await tenant
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The active ones; few per business, so their event lists are filtered by the caller. */
export function activeWebhooks(tenant: TenantDb): Promise<WebhookRow[]> {
  return tenant.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id').execute();
}

export function updateWebhookRow(tenant: TenantDb, id: number, changes: Omit<Updateable<WebhooksTable>, 'id' | 'business_id' | 'created_at'>): Promise<WebhookRow> {
  return tenant.updateTable('webhooks').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Its delivery log goes with it (and a pending delivery's job then finds nothing to do). */
export async function deleteWebhookRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await tenant.deleteFrom('webhooks').where('id', '=', id).execute();
}
