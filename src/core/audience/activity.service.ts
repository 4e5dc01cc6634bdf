import { epochSeconds } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import { activityRowsOfProfile, eventRowsOfProfile, insertActivity, type SourceBounds } from './activity.repository.js';
import { findProfile } from './profiles.repository.js';

/**
 * A profile's activity trail merges two sources, newest first: `profile_activity` (changes,
 * subscriptions, list moves, clicks) and the profile's tracked events, each event being its
 * own entry (a copy per event cost ingestion too much: see the event-trail migration).
 * Each source is read in the order of its ids; the merge takes the newer of the two next
 * entries by the time each was recorded, an activity entry first when they tie.
 */
export type TrailSource = 'activity' | 'event';

/**
 * Where an entry stands in the merged trail: the entry's source, and the smallest id of each
 * source read from the top down to and including it (0: none yet). This is what pages are
 * cut by, so a page is the same whatever the pages before it were.
 */
export interface TrailPosition {
  readonly source: TrailSource;
  readonly activity: number;
  readonly event: number;
}

export interface TrailPage {
  readonly limit: number;
  /** Entries older than this one. */
  readonly startingAfter?: TrailPosition | undefined;
  /** Entries newer than this one. */
  readonly endingBefore?: TrailPosition | undefined;
}

export interface ActivityEntry {
  readonly position: TrailPosition;
  readonly kind: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: number;
}

/**
 * Appends to a profile's activity trail (changes, subscriptions, list moves, clicks) inside
 * the caller's transaction. Tracked events need no call: they are entries themselves.
 */
export async function recordActivity(ctx: TenantContext, profileId: number, kind: string, data: Record<string, unknown>, at = epochSeconds(ctx.clock)): Promise<void> {
  await insertActivity(ctx.tenant, { profile_id: profileId, kind, data: JSON.stringify(data), occurred_at: at });
}

function parseData(text: string): Record<string, unknown> {
  const data: unknown = JSON.parse(text);
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.fromEntries(Object.entries(data)) : {};
}

/** An entry of either source, before its position is known. */
interface Item {
  readonly source: TrailSource;
  readonly id: number;
  /** When it was recorded: what the merge orders by. */
  readonly at: number;
  readonly kind: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: number;
}

/** Exclusive id bounds of one source: below 0 or above 0 means unbounded; null means the source has nothing in range. */
type Range = { readonly below: number; readonly above: number } | null;

/** Entries older than `position`, per source. */
const olderThan = (position: TrailPosition | undefined, source: TrailSource): number => (position ? position[source] : 0);

/** Entries newer than `position`, per source: null when the source has none above it. */
function newerThan(position: TrailPosition, source: TrailSource): number | null {
  const smallest = position[source];
  if (smallest === 0) return null;
  // The position's own entry is not newer than itself; the other source's smallest id read
  // so far is above it.
  return position.source === source ? smallest : smallest - 1;
}

function rangeOf(page: TrailPage, source: TrailSource): Range {
  const above = page.endingBefore ? newerThan(page.endingBefore, source) : 0;
  if (above === null) return null;
  return { below: olderThan(page.startingAfter, source), above };
}

async function readSource(ctx: TenantContext, profileId: number, source: TrailSource, range: Range, order: 'asc' | 'desc', limit: number): Promise<Item[]> {
  if (!range || limit === 0) return [];
  const bounds: SourceBounds = { ...range, order, limit };
  if (source === 'activity') {
    return (await activityRowsOfProfile(ctx.tenant, profileId, bounds)).map((row) => ({ source, id: row.id, at: row.occurred_at, kind: row.kind, data: parseData(row.data), occurredAt: row.occurred_at }));
  }
  return (await eventRowsOfProfile(ctx.tenant, profileId, bounds)).map((row) => ({
    source,
    id: row.id,
    at: row.created_at,
    kind: 'event',
    data: row.trackable_type ? { action: row.action, trackable: row.trackable_type } : { action: row.action },
    occurredAt: row.tracked_at,
  }));
}

/** Merges two lists each in the trail's order (newest first, or oldest first when `ascending`). */
function merge(activity: readonly Item[], events: readonly Item[], ascending: boolean): Item[] {
  const merged: Item[] = [];
  let a = 0;
  let e = 0;
  while (a < activity.length || e < events.length) {
    const nextActivity = activity[a];
    const nextEvent = events[e];
    // Newest first an activity entry goes first on a tie, so oldest first it goes last.
    const takeActivity = !nextEvent || (nextActivity !== undefined && (ascending ? nextActivity.at < nextEvent.at : nextActivity.at >= nextEvent.at));
    if (takeActivity) merged.push(activity[a++] as Item);
    else merged.push(events[e++] as Item);
  }
  return merged;
}

function entryOf(item: Item, position: TrailPosition): ActivityEntry {
  return { position, kind: item.kind, data: item.data, occurredAt: item.occurredAt };
}

/** A profile's trail, newest first. */
export async function activityOf(ctx: TenantContext, profileId: number, page: TrailPage): Promise<ActivityEntry[]> {
  if (!(await findProfile(ctx.tenant, profileId))) throw notFound('Profile');
  const ranges = { activity: rangeOf(page, 'activity'), event: rangeOf(page, 'event') };

  if (page.endingBefore === undefined || page.startingAfter !== undefined) {
    const [activity, events] = await Promise.all([
      readSource(ctx, profileId, 'activity', ranges.activity, 'desc', page.limit),
      readSource(ctx, profileId, 'event', ranges.event, 'desc', page.limit),
    ]);
    let smallest = { activity: olderThan(page.startingAfter, 'activity'), event: olderThan(page.startingAfter, 'event') };
    return merge(activity, events, false)
      .slice(0, page.limit)
      .map((item) => {
        smallest = { ...smallest, [item.source]: item.id };
        return entryOf(item, { source: item.source, ...smallest });
      });
  }

  // Towards newer entries: read up from the bound, one entry more of each source than the
  // page holds, so each entry of the page finds the nearest entry of the other source above
  // it (which its position names); then turn the page round.
  const [activity, events] = await Promise.all([
    readSource(ctx, profileId, 'activity', ranges.activity, 'asc', page.limit + 1),
    readSource(ctx, profileId, 'event', ranges.event, 'asc', page.limit + 1),
  ]);
  const merged = merge(activity, events, true);
  const nearestAbove = (index: number, source: TrailSource): number => merged.slice(index).find((item) => item.source === source)?.id ?? 0;
  return merged
    .slice(0, page.limit)
    .map((item, index) => entryOf(item, { source: item.source, activity: nearestAbove(index, 'activity'), event: nearestAbove(index, 'event') }))
    .reverse();
}
