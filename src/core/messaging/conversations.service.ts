import { notFound, invalid } from '../shared/errors.js';
import type { KeyBounds, PageRequest } from '../shared/pagination.js';
import type { TenantContext } from '../shared/tenant.js';
import {
  inboxPlaceOf,
  lastMessagesOf,
  messageCountsOf,
  moveInboxPlace,
  pageOfInbox,
  pageOfProfileMessages,
  type InboxPlace,
} from './conversations.repository.js';
import { toMessage, type Message } from './messages.model.js';

/**
 * The inbox: one conversation per profile that has messages in or out or a non-passive event,
 * the most recent activity first (`profiles.inbox_at`, moved by `touchInbox` for messages and
 * by event ingestion for non-passive events).
 */

export interface Conversation {
  readonly profileId: number;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly lastActivityAt: number;
  readonly lastMessage: Message | null;
  readonly inbound: number;
  readonly outbound: number;
}

/** How much of the last message's body an inbox line shows. */
export const EXCERPT_LENGTH = 140;

/** The first characters of a body, cut at a code point, with an ellipsis when cut. */
export function excerpt(body: string, length = EXCERPT_LENGTH): string {
  const points = [...body];
  return points.length <= length ? body : `${points.slice(0, length - 1).join('').trimEnd()}…`;
}

/**
 * Moves the profile's conversation to `at` (epoch seconds) unless it is already there or
 * later. The message engine calls it for each message in or out, in its transaction.
 */
export async function touchInbox(ctx: TenantContext, profileId: number, at: number): Promise<void> {
  await moveInboxPlace(ctx.tenant, profileId, at);
}

/** A cursor is a profile id; its place now is where the page starts. */
async function placeOf(ctx: TenantContext, profileId: number | undefined, parameter: 'starting_after' | 'ending_before'): Promise<InboxPlace | undefined> {
  if (profileId === undefined) return undefined;
  const place = await inboxPlaceOf(ctx.tenant, profileId);
  if (!place || place.inbox_at === null) throw invalid(parameter, 'This profile has no conversation in the inbox.');
  return { at: place.inbox_at, id: profileId };
}

/** One page of conversations, newest activity first. */
export async function listConversations(ctx: TenantContext, page: PageRequest): Promise<Conversation[]> {
  const below = await placeOf(ctx, page.startingAfter, 'starting_after');
  const above = await placeOf(ctx, page.endingBefore, 'ending_before');
  // As pageByKey does: reading towards newer ones alone walks up from the bound, then turns round.
  const upward = above !== undefined && below === undefined;
  const rows = await pageOfInbox(ctx.tenant, { below, above, order: upward ? 'asc' : 'desc', limit: page.limit });
  if (upward) rows.reverse();
  const profileIds = rows.map((row) => row.id);
  const last = new Map((await lastMessagesOf(ctx.tenant, profileIds)).map((row) => [row.profile_id, toMessage(row)]));
  const counts = new Map<number, { inbound: number; outbound: number }>();
  for (const row of await messageCountsOf(ctx.tenant, profileIds)) {
    const entry = counts.get(row.profile_id) ?? { inbound: 0, outbound: 0 };
    counts.set(row.profile_id, { ...entry, [row.direction]: row.count });
  }
  return rows.map((row) => ({
    profileId: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    lastActivityAt: row.inbox_at,
    lastMessage: last.get(row.id) ?? null,
    inbound: counts.get(row.id)?.inbound ?? 0,
    outbound: counts.get(row.id)?.outbound ?? 0,
  }));
}

/** A profile's messages in and out, newest first; a profile of another business is not found. */
export async function conversationMessages(ctx: TenantContext, profileId: number, bounds: KeyBounds): Promise<Message[]> {
  if (!(await inboxPlaceOf(ctx.tenant, profileId))) throw notFound('Profile', 'profile');
  return (await pageOfProfileMessages(ctx.tenant, profileId, bounds)).map(toMessage);
}
