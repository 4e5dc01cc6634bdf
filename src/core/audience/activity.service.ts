import { epochSeconds } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import { ruleOf } from '../tracking/action-rules.js';
import { activityRowsOfProfile, eventRowsOfProfile, insertActivity, type EventTrailRow, type SourceBounds } from './activity.repository.js';
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
 * Where an entry stands in the merged trail, as an exclusive bound per source: the entries
 * of a source with smaller ids are older than it, the others newer (for the entry's own
 * source the bound is its own id). Bounds are ids, never "none", so entries added later (with
 * larger ids) fall on the newer side, and a page cut at a position stays put.
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

const SOURCES: readonly TrailSource[] = ['activity', 'event'];

/** Exclusive id bounds of one source; 0 leaves that side open. */
interface Range {
  readonly below: number;
  readonly above: number;
}

/** Entries of `source` newer than the entry at `position` have ids above this (exclusive). */
const newerAbove = (position: TrailPosition, source: TrailSource): number => (position.source === source ? position[source] : position[source] - 1);

function rangeOf(page: TrailPage, source: TrailSource): Range {
  return { below: page.startingAfter ? page.startingAfter[source] : 0, above: page.endingBefore ? newerAbove(page.endingBefore, source) : 0 };
}

async function readSource(ctx: TenantContext, profileId: number, source: TrailSource, range: Range, order: 'asc' | 'desc', limit: number): Promise<Item[]> {
  const bounds: SourceBounds = { ...range, order, limit };
  if (source === 'activity') {
    return (await activityRowsOfProfile(ctx.tenant, profileId, bounds)).map((row) => ({ source, id: row.id, at: row.occurred_at, kind: row.kind, data: parseData(row.data), occurredAt: row.occurred_at }));
  }
  return (await eventRowsOfProfile(ctx.tenant, profileId, bounds)).map((row) => ({
    source,
    id: row.id,
    at: row.created_at,
    kind: 'event',
    data: eventData(row),
    occurredAt: row.tracked_at,
  }));
}

/** An event's entry: its action, what it was tracked for, and the products a cart event moved. */
function eventData(row: EventTrailRow): Record<string, unknown> {
  // Only cart moves keep products in their details (event-ingest.ts); their names are built-in
  // and reserved, so the name says which rule applies.
  const products = row.details !== null && ruleOf(row.action, true).cartItems ? parseData(row.details).products : undefined;
  return {
    action: row.action,
    ...(row.trackable_type ? { trackable: row.trackable_type } : {}),
    ...(Array.isArray(products) ? { products } : {}),
  };
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

/**
 * Each entry of `merged` (everything read, in reading order) with its position. `base` is
 * the bound of each source where reading started, for entries with no entry of the other
 * source read on either side of them.
 */
function positioned(merged: readonly Item[], ascending: boolean, base: Record<TrailSource, number>): Array<{ item: Item; position: TrailPosition }> {
  // For each index and source, the nearest entry of that source read before it and after it.
  const before: Record<TrailSource, Array<Item | undefined>> = { activity: [], event: [] };
  const after: Record<TrailSource, Array<Item | undefined>> = { activity: [], event: [] };
  for (const source of SOURCES) {
    let last: Item | undefined;
    merged.forEach((item, index) => {
      before[source][index] = last;
      if (item.source === source) last = item;
    });
    last = undefined;
    for (let index = merged.length - 1; index >= 0; index--) {
      after[source][index] = last;
      if ((merged[index] as Item).source === source) last = merged[index];
    }
  }
  return merged.map((item, index) => {
    const bound = (source: TrailSource): number => {
      if (source === item.source) return item.id;
      // The other source's bound sits between its nearest older and nearest newer entry.
      const older = ascending ? before[source][index] : after[source][index];
      const newer = ascending ? after[source][index] : before[source][index];
      if (older) return older.id + 1;
      if (newer) return newer.id;
      return base[source];
    };
    return { item, position: { source: item.source, activity: bound('activity'), event: bound('event') } };
  });
}

/** A profile's trail, newest first. */
export async function activityOf(ctx: TenantContext, profileId: number, page: TrailPage): Promise<ActivityEntry[]> {
  if (!(await findProfile(ctx.tenant, profileId))) throw notFound('Profile');
  const ranges = { activity: rangeOf(page, 'activity'), event: rangeOf(page, 'event') };
  const entry = ({ item, position }: { item: Item; position: TrailPosition }): ActivityEntry => ({ position, kind: item.kind, data: item.data, occurredAt: item.occurredAt });

  if (page.endingBefore === undefined || page.startingAfter !== undefined) {
    const [activity, events] = await Promise.all([
      readSource(ctx, profileId, 'activity', ranges.activity, 'desc', page.limit),
      readSource(ctx, profileId, 'event', ranges.event, 'desc', page.limit),
    ]);
    // With nothing of a source read, its entries are all newer than the page: below the
    // cursor's bound, or any id from the top.
    const base = { activity: page.startingAfter?.activity ?? 1, event: page.startingAfter?.event ?? 1 };
    return positioned(merge(activity, events, false), false, base).slice(0, page.limit).map(entry);
  }

  // Towards newer entries: read up from the bound, one entry more of each source than the
  // page holds, so each entry of the page finds its neighbours of the other source; then
  // turn the page round.
  const [activity, events] = await Promise.all([
    readSource(ctx, profileId, 'activity', ranges.activity, 'asc', page.limit + 1),
    readSource(ctx, profileId, 'event', ranges.event, 'asc', page.limit + 1),
  ]);
  const from = page.endingBefore;
  const base = { activity: newerAbove(from, 'activity') + 1, event: newerAbove(from, 'event') + 1 };
  return positioned(merge(activity, events, true), true, base).slice(0, page.limit).map(entry).reverse();
}
