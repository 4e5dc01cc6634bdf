import type { Insertable, Selectable } from 'kysely';
import type { WebhookDeliveriesTable, WebhookDeliveryState } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A delivery with what its attempt needs of its webhook. */
export type DeliveryTarget = WebhookDeliveryRow & { url: string; secret: string; active: 0 | 1 };

export function insertDelivery(tenant: TenantDb, values: Omit<Insertable<WebhookDeliveriesTable>, 'business_id'>): Promise<WebhookDeliveryRow> {
  return tenant.db
    .insertInto('webhook_deliveries')
    .values({ ...values, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDeliveryTarget(tenant: TenantDb, id: number): Promise<DeliveryTarget | undefined> {
  return tenant
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', (join) => join.onRef('webhooks.id', '=', 'webhook_deliveries.webhook_id').onRef('webhooks.business_id', '=', 'webhook_deliveries.business_id'))
    .selectAll('webhook_deliveries')
    .select(['webhooks.url', 'webhooks.secret', 'webhooks.active'])
    .where('webhook_deliveries.id', '=', id)
    .executeTakeFirst();
}

/** Newest first. */
export function pageOfDeliveries(tenant: TenantDb, webhookId: number, bounds: KeyBounds): Promise<WebhookDeliveryRow[]> {
  return withKeyBounds(tenant.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId), 'id', bounds).execute();
}

export interface AttemptOutcome {
  /** `pending` while retries remain. */
  readonly state: WebhookDeliveryState;
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly deliveredAt: number | null;
}

/**
 * Records one attempt of a pending delivery. A delivery already settled (a job that ran
 * twice after a crash) is left as it is; false then.
 */
export async function recordAttempt(tenant: TenantDb, id: number, outcome: AttemptOutcome): Promise<boolean> {
  const result = await tenant
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      state: outcome.state,
      response_status: outcome.responseStatus,
      last_error: outcome.error,
      delivered_at: outcome.deliveredAt,
    }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Settles a pending delivery as failed without an attempt (its webhook was deactivated). */
export async function abandonDelivery(tenant: TenantDb, id: number, reason: string): Promise<void> {
  await tenant.updateTable('webhook_deliveries').set({ state: 'failed', last_error: reason }).where('id', '=', id).where('state', '=', 'pending').execute();
}
