import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { ChannelsTable, Database, Technology } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';
import type { ChannelRow } from './channels.model.js';

export function insertChannel(tenant: TenantDb, row: Omit<Insertable<ChannelsTable>, 'business_id'>): Promise<ChannelRow> {
  return tenant.db
    .insertInto('channels')
    .values({ ...row, business_id: tenant.businessId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findChannel(tenant: TenantDb, id: number): Promise<ChannelRow | undefined> {
  return tenant.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A channel by its key alone, before the business is known: provider webhooks name the
 * channel in their URL and the worker's connection-holding providers serve every business.
 */
export function findChannelAnyBusiness(db: Kysely<Database>, id: number): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Active channels of one provider in every business (the worker keeps SMPP binds open for these). */
export function activeChannelsOfProvider(db: Kysely<Database>, provider: string): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().where('provider', '=', provider).where('active', '=', 1).orderBy('id').execute();
}

/** Newest first. */
export function pageOfChannels(tenant: TenantDb, bounds: KeyBounds, technology?: Technology): Promise<ChannelRow[]> {
  let query = tenant.selectFrom('channels').selectAll();
  if (technology) query = query.where('technology', '=', technology);
  return withKeyBounds(query, 'id', bounds).execute();
}

/** The business's active channels, oldest first: a business has a handful. */
export function activeChannels(tenant: TenantDb): Promise<ChannelRow[]> {
  return tenant.selectFrom('channels').selectAll().where('active', '=', 1).orderBy('id').execute();
}

export function channelsWithOrigin(tenant: TenantDb, technology: Technology, origin: string): Promise<ChannelRow[]> {
  return tenant.selectFrom('channels').selectAll().where('technology', '=', technology).where('origin', '=', origin).execute();
}

export async function updateChannelRow(tenant: TenantDb, id: number, changes: Updateable<ChannelsTable>): Promise<ChannelRow> {
  return tenant.updateTable('channels').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteChannelRow(tenant: TenantDb, id: number): Promise<void> {
  await tenant.deleteFrom('channels').where('id', '=', id).execute();
}

/**
 * Claims the channel's next `count` send slots: one statement, so every process sharing the
 * database takes different ones. Answers the slots' times (epoch ms, fractional, `interval`
 * apart), the first `now` when the channel was idle and later when sends are queued up;
 * undefined when the channel is gone.
 */
export async function claimSendSlots(db: Kysely<Database>, channelId: number, now: number, intervalMs: number, count: number): Promise<number[] | undefined> {
  const row = await db
    .updateTable('channels')
    .set({ next_slot_ms: sql<number>`(case when next_slot_ms > ${now} then next_slot_ms else ${now} end) + ${intervalMs * count}` })
    .where('id', '=', channelId)
    .returning('next_slot_ms')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const first = Number(row.next_slot_ms) - intervalMs * count;
  return Array.from({ length: count }, (_, index) => first + index * intervalMs);
}
