import { sql, type Insertable, type Selectable } from 'kysely';
import type { EventsTable, TrackableType } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';
import { insertRows } from '../../store/bulk-insert.js';

export type EventRow = Selectable<EventsTable>;
export type EventWithAction = EventRow & { action_name: string; action_title: string };

const CHUNK = 200;

/** Inserts many events in a few statements. */
export async function insertEvents(tenant: TenantDb, rows: ReadonlyArray<Omit<Insertable<EventsTable>, 'business_id'>>): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((row) => ({ ...row, business_id: tenant.businessId }));
    await insertRows(tenant.db, 'events', chunk);
  }
}

/**
 * Moves profiles' last activity (and, for attention-worthy events, their inbox place)
 * forward, in one statement: `inboxIds` is a subset of `profileIds`. Rows already at `at`
 * are left unwritten.
 */
export async function touchProfiles(tenant: TenantDb, profileIds: readonly number[], inboxIds: readonly number[], at: number): Promise<void> {
  if (profileIds.length === 0) return;
  await tenant
    .updateRowsById('profiles', profileIds)
    .set((eb) => {
      const activity = eb.case().when('activity_at', '<', at).then(at).else(eb.ref('activity_at')).end();
      if (inboxIds.length === 0) return { activity_at: activity };
      const moves = eb.and([eb('id', 'in', inboxIds), eb.or([eb('inbox_at', 'is', null), eb('inbox_at', '<', at)])]);
      return { activity_at: activity, inbox_at: eb.case().when(moves).then(at).else(eb.ref('inbox_at')).end() };
    })
    .where((eb) =>
      eb.or([eb('activity_at', '<', at), ...(inboxIds.length === 0 ? [] : [eb.and([eb('id', 'in', inboxIds), eb.or([eb('inbox_at', 'is', null), eb('inbox_at', '<', at)])])])]),
    )
    .execute();
}

export function existingProfileIds(tenant: TenantDb, ids: readonly number[]): Promise<Array<{ id: number }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('profiles').select('id').where('id', 'in', ids).execute();
}

export async function reportingCurrency(tenant: TenantDb): Promise<string> {
  const row = await tenant.db.selectFrom('businesses').select('currency').where('id', '=', tenant.businessId).executeTakeFirstOrThrow();
  return row.currency;
}

/** Money an event inherits from its trackable, by type: ids found, with amount and currency when the object has them. */
export async function trackableFacts(
  tenant: TenantDb,
  type: TrackableType,
  ids: readonly number[],
): Promise<Map<number, TrackableFact>> {
  const facts = new Map<number, TrackableFact>();
  if (ids.length === 0) return facts;
  const none = { e4: null, currency: null };
  switch (type) {
    case 'order':
      for (const row of await tenant.selectFrom('orders').select(['id', 'total_e4', 'currency', 'session_id']).where('id', 'in', ids).execute()) {
        facts.set(row.id, { e4: row.total_e4, currency: row.currency, sessionId: row.session_id });
      }
      break;
    case 'refund':
      for (const row of await tenant.selectFrom('refunds').select(['id', 'total_e4', 'currency']).where('id', 'in', ids).execute()) facts.set(row.id, { e4: row.total_e4, currency: row.currency });
      break;
    case 'product_variant':
      for (const row of await tenant.selectFrom('product_variants').select(['id', 'price_e4', 'currency']).where('id', 'in', ids).execute()) facts.set(row.id, { e4: row.price_e4, currency: row.currency });
      break;
    case 'product':
      for (const row of await tenant
        .selectFrom('product_variants')
        .select(['product_id', 'price_e4', 'currency'])
        .where('product_id', 'in', ids)
        .where('is_default', '=', 1)
        .execute()) {
        facts.set(row.product_id, { e4: row.price_e4, currency: row.currency });
      }
      break;
    case 'cart':
      for (const row of await tenant.selectFrom('carts').select(['id', 'session_id']).where('id', 'in', ids).execute()) facts.set(row.id, { ...none, sessionId: row.session_id });
      break;
    case 'app':
    case 'coupon':
    case 'form':
      for (const row of await tenant.selectFrom(TABLE_OF[type]).select('id').where('id', 'in', ids).execute()) facts.set(row.id, none);
      break;
  }
  return facts;
}

const TABLE_OF = { app: 'apps', coupon: 'coupons', form: 'forms' } as const;

/** What an event learns of an existing object: its money, and for carts and orders their session. */
export interface TrackableFact {
  readonly e4: number | null;
  readonly currency: string | null;
  readonly sessionId?: number | null;
}

export function findEvent(tenant: TenantDb, id: number): Promise<EventWithAction | undefined> {
  return eventsWithAction(tenant).where('events.id', '=', id).executeTakeFirst();
}

export function pageOfEvents(tenant: TenantDb, bounds: KeyBounds, filter: { profileId?: number | undefined; sessionId?: number | undefined }): Promise<EventWithAction[]> {
  let query = eventsWithAction(tenant);
  if (filter.profileId !== undefined) query = query.where('events.profile_id', '=', filter.profileId);
  if (filter.sessionId !== undefined) query = query.where('events.session_id', '=', filter.sessionId);
  return withKeyBounds(query, 'events.id', bounds).execute();
}

function eventsWithAction(tenant: TenantDb) {
  return tenant
    .selectFrom('events')
    .innerJoin('actions', 'actions.id', 'events.action_id')
    .selectAll('events')
    .select(['actions.name as action_name', 'actions.title as action_title']);
}

export async function updateEventRow(tenant: TenantDb, id: number, changes: Partial<Omit<Insertable<EventsTable>, 'business_id' | 'id'>>): Promise<void> {
  await tenant.updateTable('events').set(changes).where('id', '=', id).execute();
}

export async function deleteEventRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('events').where('id', '=', id).execute();
}

/** Revenue attributed to a campaign: the sum of its events' converted amounts. */
export async function campaignRevenue(tenant: TenantDb, campaignId: number): Promise<number> {
  const row = await tenant
    .selectFrom('events')
    .select(sql<number>`coalesce(sum(converted_e4), 0)`.as('total'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
