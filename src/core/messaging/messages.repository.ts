import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { Database, MessagesTable, MessageState, Technology } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import { preparedQuery } from '../../store/prepared-query.js';
import { TenantDb } from '../shared/tenant.js';
import type { MessageRow } from './messages.model.js';

export function insertMessage(tenant: TenantDb, row: Omit<Insertable<MessagesTable>, 'business_id'>): Promise<MessageRow> {
  return tenant.db
    .insertInto('messages')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Stores an inbound message unless the channel already has one with this provider id (peers
 * redeliver); undefined then. The conflict is skipped, not raised, so a PostgreSQL
 * transaction stays usable.
 */
export function insertInboundMessage(tenant: TenantDb, row: Omit<Insertable<MessagesTable>, 'business_id'>): Promise<MessageRow | undefined> {
  return tenant.db
    .insertInto('messages')
    .values({ ...row, business_id: tenant.businessId })
    // The index's predicate as a literal: SQLite matches a partial index only by the same text, not a bound value.
    .onConflict((oc) => oc.columns(['business_id', 'channel_id', 'provider_id']).where('direction', '=', sql.lit('inbound')).doNothing())
    .returningAll()
    .executeTakeFirst();
}

const messageById = preparedQuery((db, p: { businessId: number; id: number }) => new TenantDb(db, p.businessId).selectFrom('messages').selectAll().where('id', '=', p.id));

export async function findMessage(tenant: TenantDb, id: number): Promise<MessageRow | undefined> {
  const [row] = await messageById(tenant.db, { businessId: tenant.businessId, id });
  return row;
}

/** Messages by id, in one statement; ids not found are left out. */
export function findMessages(tenant: TenantDb, ids: readonly number[]): Promise<MessageRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}


export function findOutboundByProviderId(tenant: TenantDb, channelId: number, providerId: string): Promise<MessageRow | undefined> {
  return tenant
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('provider_id', '=', providerId)
    .where('direction', '=', 'outbound')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface MessageFilter {
  readonly profileId?: number | undefined;
  readonly state?: MessageState | undefined;
  readonly technology?: Technology | undefined;
}

/** Newest first. */
export function pageOfMessages(tenant: TenantDb, bounds: KeyBounds, filter: MessageFilter = {}): Promise<MessageRow[]> {
  let query = tenant.selectFrom('messages').selectAll();
  if (filter.profileId !== undefined) query = query.where('profile_id', '=', filter.profileId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.technology !== undefined) query = query.where('technology', '=', filter.technology);
  return withKeyBounds(query, 'id', bounds).execute();
}

/** Messages dev-inbox took, newest first: their provider ids carry its prefix. */
export function pageOfDevInbox(tenant: TenantDb, bounds: KeyBounds, prefix: string, destination?: string): Promise<MessageRow[]> {
  let query = tenant
    .selectFrom('messages')
    .selectAll()
    .where('direction', '=', 'outbound')
    .where(sql<boolean>`provider_id like ${`${prefix}%`}`);
  if (destination !== undefined) query = query.where('destination', '=', destination);
  return withKeyBounds(query, 'id', bounds).execute();
}

/**
 * When the profile last wrote in, optionally on one technology (epoch seconds); undefined
 * when it never did. Walks the profile's messages newest first on its index.
 */
export async function lastInboundAt(tenant: TenantDb, profileId: number, technology?: Technology): Promise<number | undefined> {
  let query = tenant.selectFrom('messages').select('received_at').where('profile_id', '=', profileId).where('direction', '=', 'inbound');
  if (technology !== undefined) query = query.where('technology', '=', technology);
  const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.received_at ?? undefined;
}

/** The bodies of the profile's messages received since `since` (epoch seconds), newest first. */
export async function recentInboundBodies(tenant: TenantDb, profileId: number, since: number, limit: number): Promise<string[]> {
  const rows = await tenant
    .selectFrom('messages')
    .select('body')
    .where('profile_id', '=', profileId)
    .where('direction', '=', 'inbound')
    .where('received_at', '>', since)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.body);
}

/** The profile of the last message from this address on this technology (Instagram users are not properties). */
export async function profileOfSender(tenant: TenantDb, technology: Technology, origin: string): Promise<number | undefined> {
  const row = await tenant
    .selectFrom('messages')
    .select('profile_id')
    .where('technology', '=', technology)
    .where('origin', '=', origin)
    .where('direction', '=', 'inbound')
    .where('profile_id', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.profile_id ?? undefined;
}

/** The last address the profile wrote from on a technology. */
export async function lastSenderAddress(tenant: TenantDb, profileId: number, technology: Technology): Promise<string | undefined> {
  const row = await tenant
    .selectFrom('messages')
    .select('origin')
    .where('profile_id', '=', profileId)
    .where('technology', '=', technology)
    .where('direction', '=', 'inbound')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.origin;
}

/**
 * A guarded state change: applies only while the message is in one of `from`, so two writers
 * (a receipt and the send job, two receipts) cannot move a state backwards. Answers the new
 * row, or undefined when the guard held nothing.
 */
const routeStatement = preparedQuery((db, p: { businessId: number; id: number; providerId: string; now: number }) =>
  new TenantDb(db, p.businessId)
    .updateTable('messages')
    .set({ provider_id: p.providerId, state: 'routed', routed_at: p.now, updated_at: p.now })
    .where('id', '=', p.id)
    .where('state', '=', 'pending')
    .returningAll(),
);

/** pending → routed with the provider's id, in one statement (the hot path of sending); undefined when the message was not pending. */
export async function routeMessage(tenant: TenantDb, id: number, providerId: string, now: number): Promise<MessageRow | undefined> {
  const [row] = await routeStatement(tenant.db, { businessId: tenant.businessId, id, providerId, now });
  return row;
}

export async function changeMessageState(tenant: TenantDb, id: number, from: readonly MessageState[], changes: Updateable<MessagesTable>): Promise<MessageRow | undefined> {
  return tenant.updateTable('messages').set(changes).where('id', '=', id).where('state', 'in', from).returningAll().executeTakeFirst();
}

export async function updateMessageRow(tenant: TenantDb, id: number, changes: Updateable<MessagesTable>): Promise<void> {
  await tenant.updateTable('messages').set(changes).where('id', '=', id).execute();
}

/** The business a message belongs to, by its key alone (receipts that carry our message id). */
export function findMessageAnyBusiness(db: Kysely<Database>, id: number): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}
