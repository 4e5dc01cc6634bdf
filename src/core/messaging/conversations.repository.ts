import { sql } from 'kysely';
import type { MessageDirection } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';
import type { MessageRow } from './messages.model.js';

/** A place in the inbox: its order is (inbox_at, profile id), newest first. */
export interface InboxPlace {
  readonly at: number;
  readonly id: number;
}

export interface InboxBounds {
  /** Conversations placed before this one. */
  readonly below: InboxPlace | undefined;
  /** Conversations placed after this one. */
  readonly above: InboxPlace | undefined;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
}

export interface InboxProfileRow {
  readonly id: number;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly inbox_at: number;
}

/** Moves a profile's conversation up to `at`; never down, so a late writer cannot bury a newer one. */
export async function moveInboxPlace(tenant: TenantDb, profileId: number, at: number): Promise<void> {
  await tenant
    .updateTable('profiles')
    .set({ inbox_at: at })
    .where('id', '=', profileId)
    .where((eb) => eb.or([eb('inbox_at', 'is', null), eb('inbox_at', '<', at)]))
    .execute();
}

/** Where a profile's conversation stands; `inbox_at` null when it has none. Undefined: no such profile. */
export function inboxPlaceOf(tenant: TenantDb, profileId: number): Promise<{ inbox_at: number | null } | undefined> {
  return tenant.selectFrom('profiles').select('inbox_at').where('id', '=', profileId).executeTakeFirst();
}

/** One page of the inbox, through the (business_id, inbox_at, id) index. */
export function pageOfInbox(tenant: TenantDb, bounds: InboxBounds): Promise<InboxProfileRow[]> {
  let query = tenant
    .selectFrom('profiles')
    .select(['id', 'first_name', 'last_name', 'inbox_at'])
    .where('inbox_at', 'is not', null)
    .$narrowType<{ inbox_at: number }>();
  if (bounds.below) query = query.where(sql<boolean>`(inbox_at, id) < (${bounds.below.at}, ${bounds.below.id})`);
  if (bounds.above) query = query.where(sql<boolean>`(inbox_at, id) > (${bounds.above.at}, ${bounds.above.id})`);
  return query.orderBy('inbox_at', bounds.order).orderBy('id', bounds.order).limit(bounds.limit).execute();
}

/** The newest message of each profile that has any. */
export function lastMessagesOf(tenant: TenantDb, profileIds: readonly number[]): Promise<MessageRow[]> {
  if (profileIds.length === 0) return Promise.resolve([]);
  const newest = tenant
    .selectFrom('messages')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('profile_id', 'in', profileIds)
    .groupBy('profile_id');
  return tenant.selectFrom('messages').selectAll().where('id', 'in', newest).execute();
}

/** Messages in and out per profile. */
export async function messageCountsOf(tenant: TenantDb, profileIds: readonly number[]): Promise<Array<{ profile_id: number; direction: MessageDirection; count: number }>> {
  if (profileIds.length === 0) return [];
  const rows = await tenant
    .selectFrom('messages')
    .select((eb) => ['profile_id', 'direction', eb.fn.countAll<number | string>().as('count')])
    .where('profile_id', 'in', profileIds)
    .groupBy(['profile_id', 'direction'])
    .$narrowType<{ profile_id: number }>()
    .execute();
  return rows.map((row) => ({ profile_id: row.profile_id, direction: row.direction, count: Number(row.count) }));
}

/** A profile's messages in and out, newest first. */
export function pageOfProfileMessages(tenant: TenantDb, profileId: number, bounds: KeyBounds): Promise<MessageRow[]> {
  return withKeyBounds(tenant.selectFrom('messages').selectAll().where('profile_id', '=', profileId), 'id', bounds).execute();
}
