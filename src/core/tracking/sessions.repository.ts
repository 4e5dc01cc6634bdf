import type { Insertable, Selectable } from 'kysely';
import type { SessionsTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type SessionRow = Selectable<SessionsTable>;

export function findSession(tenant: TenantDb, id: number): Promise<SessionRow | undefined> {
  return tenant.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Re-reads a session, locked until the transaction ends where the database has row locks. */
export function lockSession(tenant: TenantDb, id: number, lock: boolean): Promise<SessionRow | undefined> {
  const query = tenant.selectFrom('sessions').selectAll().where('id', '=', id);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export function findSessionByUuid(tenant: TenantDb, uuid: string): Promise<SessionRow | undefined> {
  return tenant.selectFrom('sessions').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export function sessionsByUuid(tenant: TenantDb, uuids: readonly string[]): Promise<SessionRow[]> {
  if (uuids.length === 0) return Promise.resolve([]);
  return tenant.selectFrom('sessions').selectAll().where('uuid', 'in', uuids).execute();
}

/**
 * Sessions by id or token; with `lock`, rows are locked in id order (no deadlocks). Ids and
 * tokens are looked up by their own index: one query with `id in … or uuid in …` would walk
 * every session of the business.
 */
export async function sessionsByRefs(tenant: TenantDb, ids: readonly number[], tokens: readonly string[], lock: boolean): Promise<SessionRow[]> {
  if (ids.length === 0 && tokens.length === 0) return [];
  const query = tenant.selectFrom('sessions').selectAll().orderBy('id');
  const locked = lock ? query.forUpdate() : query;
  if (ids.length === 0) return locked.where('uuid', 'in', tokens).execute();
  if (tokens.length === 0) return locked.where('id', 'in', ids).execute();
  const byToken = await tenant.selectFrom('sessions').select('id').where('uuid', 'in', tokens).execute();
  return locked.where('id', 'in', [...new Set([...ids, ...byToken.map((row) => row.id)])]).execute();
}

/**
 * Assigns an unassigned session to a profile; answers the session's profile afterwards,
 * which is another one when a concurrent writer assigned it first.
 */
export async function claimSession(tenant: TenantDb, id: number, profileId: number, at: number): Promise<number | null> {
  const result = await tenant.updateTable('sessions').set({ profile_id: profileId, updated_at: at }).where('id', '=', id).where('profile_id', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return profileId;
  return (await findSession(tenant, id))?.profile_id ?? null;
}

/**
 * Inserts sessions whose uuid is new; a uuid a concurrent writer inserted first is kept as
 * theirs. Returns every named session as stored.
 */
export async function ensureSessions(tenant: TenantDb, rows: ReadonlyArray<Omit<Insertable<SessionsTable>, 'business_id'>>): Promise<SessionRow[]> {
  if (rows.length === 0) return [];
  await tenant.db
    .insertInto('sessions')
    .values(rows.map((row) => ({ ...row, business_id: tenant.businessId })))
    .onConflict((oc) => oc.columns(['business_id', 'uuid']).doNothing())
    .execute();
  return sessionsByUuid(
    tenant,
    rows.map((row) => row.uuid),
  );
}

export async function setSessionProfile(tenant: TenantDb, id: number, profileId: number, at: number): Promise<void> {
  await tenant.updateTable('sessions').set({ profile_id: profileId, updated_at: at }).where('id', '=', id).execute();
}

/** Records the first acknowledgement; later ones change nothing. */
export async function markSessionSeen(tenant: TenantDb, id: number, utm: string | null, at: number): Promise<void> {
  await tenant.updateTable('sessions').set({ first_seen_at: at, utm, updated_at: at }).where('id', '=', id).where('first_seen_at', 'is', null).execute();
}

/** Moves what a session tracked (events, and so their trail entries; carts, orders) to its new profile. */
export async function moveSessionHistory(tenant: TenantDb, sessionId: number, to: number, at: number): Promise<void> {
  await tenant.updateTable('events').set({ profile_id: to, updated_at: at }).where('session_id', '=', sessionId).execute();
  await tenant.updateTable('carts').set({ profile_id: to, updated_at: at }).where('session_id', '=', sessionId).execute();
  await tenant.updateTable('orders').set({ profile_id: to, updated_at: at }).where('session_id', '=', sessionId).execute();
}
