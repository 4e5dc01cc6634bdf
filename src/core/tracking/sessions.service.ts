import { randomUUID } from 'node:crypto';
import { findProfile, updateProfileRow } from '../audience/profiles.repository.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, notFound } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import type { SessionSource } from '../../store/tables.js';
import { ensureSessions, findSession, findSessionByUuid, lockSession, markSessionSeen, moveSessionHistory, setSessionProfile, type SessionRow } from './sessions.repository.js';

/**
 * Sessions: one browser or device of a visitor. Each has our integer id (shown as a public
 * id) and an unguessable token (`uuid`): a client-generated UUID, or the `hello_session` we
 * put on a short link's destination. Either names the session wherever one is expected.
 */
export interface SessionRef {
  /** The id, when the text decoded as one of ours. */
  readonly id?: number | undefined;
  /** The text as given: tried as a uuid when it is not an id. */
  readonly token: string;
}

export interface Session {
  readonly id: number;
  readonly uuid: string;
  readonly profileId: number | null;
  readonly messageId: number | null;
  readonly campaignId: number | null;
  readonly journeyId: number | null;
  readonly source: SessionSource;
  readonly createdAt: number;
  readonly firstSeenAt: number | null;
}

export const toSession = (row: SessionRow): Session => ({
  id: row.id,
  uuid: row.uuid,
  profileId: row.profile_id,
  messageId: row.message_id,
  campaignId: row.campaign_id,
  journeyId: row.journey_id,
  source: row.source,
  createdAt: row.created_at,
  firstSeenAt: row.first_seen_at,
});

/** What a client may use as a session token: UUIDs and other URL-safe random strings. */
const TOKEN_FORM = /^[A-Za-z0-9_-]{16,64}$/;

export const isSessionToken = (text: string): boolean => TOKEN_FORM.test(text);

/** A token a client offers as a new session's: refused when it could not be one. */
export function checkedToken(token: string, parameter = 'session'): string {
  if (!isSessionToken(token)) throw new DomainError('invalid', 'A session is its id, or a token of 16 to 64 letters, digits, "-" or "_" (a UUID).', parameter);
  return token;
}

/** The existing session a reference names. */
export async function resolveSession(ctx: TenantContext, ref: SessionRef, parameter = 'session'): Promise<SessionRow> {
  const row = (ref.id === undefined ? undefined : await findSession(ctx.tenant, ref.id)) ?? (isSessionToken(ref.token) ? await findSessionByUuid(ctx.tenant, ref.token) : undefined);
  if (!row) throw notFound('Session', parameter);
  return row;
}

/**
 * The session a reference names, created when it is a token we have never seen: a shop may
 * capture the browser's token before any of its events reached us.
 */
export async function findOrCreateSession(ctx: TenantContext, ref: SessionRef, source: SessionSource, parameter = 'session'): Promise<SessionRow> {
  const byId = ref.id === undefined ? undefined : await findSession(ctx.tenant, ref.id);
  if (byId) return byId;
  // An id of ours that is not this business's names a session that is not there; other text
  // must be a token to become one.
  if (ref.id !== undefined && !isSessionToken(ref.token)) throw notFound('Session', parameter);
  const token = checkedToken(ref.token, parameter);
  const now = epochSeconds(ctx.clock);
  const [row] = await ensureSessions(ctx.tenant, [{ uuid: token, source, created_at: now, updated_at: now }]);
  if (!row) throw new Error('a session just ensured was not found');
  return row;
}

/** A new session with a server-made token (clients that ask us for one, short-link clicks). */
export async function createSession(
  ctx: TenantContext,
  input: { source: SessionSource; profileId?: number; messageId?: number; campaignId?: number; journeyId?: number },
): Promise<Session> {
  const now = epochSeconds(ctx.clock);
  const [row] = await ensureSessions(ctx.tenant, [
    {
      uuid: randomUUID(),
      source: input.source,
      profile_id: input.profileId ?? null,
      message_id: input.messageId ?? null,
      campaign_id: input.campaignId ?? null,
      journey_id: input.journeyId ?? null,
      created_at: now,
      updated_at: now,
    },
  ]);
  if (!row) throw new Error('a session just created was not found');
  return toSession(row);
}

/**
 * Assigns the session (creating it for an unseen token) to a profile and moves everything it
 * tracked there: events, carts, orders and their trail entries. Reassigning to another
 * profile is allowed here, as `PATCH /v1/sessions/:id` documents; tracking refuses it.
 */
export async function attachSession(ctx: TenantContext, ref: SessionRef, profileId: number, options: { onlyUnassigned?: boolean } = {}): Promise<Session> {
  return inTransaction(ctx, async (trx) => {
    if (!(await findProfile(trx.tenant, profileId))) throw notFound('Profile', 'profile');
    const found = await findOrCreateSession(trx, ref, 'api', 'id');
    // Locked: an event batch assigning the same session waits for this attach, or this for it.
    const session = (await lockSession(trx.tenant, found.id, ctx.caps.rowLocks)) ?? found;
    if (session.profile_id === profileId) return toSession(session);
    if (options.onlyUnassigned && session.profile_id !== null) {
      throw new DomainError('session_assigned_to_another_profile', 'This session belongs to another profile.', 'session');
    }
    const now = epochSeconds(ctx.clock);
    await setSessionProfile(trx.tenant, session.id, profileId, now);
    await moveSessionHistory(trx.tenant, session.id, profileId, now);
    await updateProfileRow(trx.tenant, profileId, { activity_at: now });
    return toSession({ ...session, profile_id: profileId, updated_at: now });
  });
}

/** A browser's first sight of a session, with the UTM parameters it landed with. */
export async function acknowledgeSession(ctx: TenantContext, ref: SessionRef, utm: Record<string, string> | undefined): Promise<Session> {
  return inTransaction(ctx, async (trx) => {
    const session = await findOrCreateSession(trx, ref, 'client');
    if (session.first_seen_at !== null) return toSession(session);
    const now = epochSeconds(ctx.clock);
    const utmText = utm && Object.keys(utm).length > 0 ? JSON.stringify(utm) : null;
    await markSessionSeen(trx.tenant, session.id, utmText, now);
    return toSession({ ...session, first_seen_at: now, utm: utmText });
  });
}
