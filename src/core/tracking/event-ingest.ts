import type { TrackableType } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { converter } from '../commerce/exchange-rates.service.js';
import { resolveProductRefs } from '../commerce/product-refs.service.js';
import type { Money } from '../commerce/money.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, notFound } from '../shared/errors.js';
import { TenantDb, type TenantContext } from '../shared/tenant.js';
import { actionsByName } from './actions.service.js';
import { missingTrackable, ruleOf, type ActionRule } from './action-rules.js';
import { existingProfileIds, insertEvents, reportingCurrency, touchProfiles, trackableFacts } from './events.repository.js';
import { claimSession, ensureSessions, moveSessionHistory, sessionsByRefs, type SessionRow } from './sessions.repository.js';
import { isSessionToken } from './sessions.service.js';
import { productTrackable } from './trackable-specs.js';
import { TRACKABLE_TITLES, type PreparedEvent, type ResolvedTrackable, type TrackableSpec } from './track-input.js';

export type Outcome = { ok: true; value: void } | { ok: false; error: unknown };

/** An event of a batch, with its business (a batch may hold several businesses' events). */
export interface Pending {
  readonly businessId: number;
  readonly event: PreparedEvent;
}

/** Writes one event in the caller's transaction (events that create objects take this path). */
export async function writeEventNow(ctx: TenantContext, event: PreparedEvent): Promise<void> {
  const [outcome] = await writeGroup(ctx, [event]);
  if (outcome && !outcome.ok) throw outcome.error;
}

/**
 * Writes a batch in one transaction (see event-batches.ts for how batches form). Every rule
 * is checked before the batch writes; a batch that still fails is written again event by
 * event, so only the events that cause it are refused.
 */
export async function writeBatch(ctx: CoreContext, items: readonly Pending[]): Promise<Outcome[]> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = new Array<Outcome>(items.length);
      const groups = new Map<number, number[]>();
      items.forEach((item, index) => groups.set(item.businessId, [...(groups.get(item.businessId) ?? []), index]));
      for (const [businessId, indexes] of groups) {
        const tenant: TenantContext = { ...ctx, db: trx, businessId, tenant: new TenantDb(trx, businessId) };
        const results = await writeGroup(
          tenant,
          indexes.map((index) => (items[index] as Pending).event),
        );
        indexes.forEach((index, position) => (outcomes[index] = results[position] as Outcome));
      }
      return outcomes;
    });
  } catch (error) {
    if (items.length === 1) return [{ ok: false, error }];
    // Something no check foresaw failed the batch: write each event alone, so only the
    // events that cause it are refused.
    ctx.logger.warn({ err: error, events: items.length }, 'event batch failed; writing its events one by one');
    return Promise.all(items.map(async (item) => (await writeBatch(ctx, [item]))[0] as Outcome));
  }
}

/** A business's reporting currency changes rarely: each process reads it once a minute. */
const CURRENCY_CACHE_MS = 60_000;
// Keyed by the store's capabilities object (one per open store), which transactions share.
const currencies = new WeakMap<TenantContext['caps'], Map<number, { currency: string; at: number }>>();

async function cachedReportingCurrency(ctx: TenantContext): Promise<string> {
  let cache = currencies.get(ctx.caps);
  if (!cache) currencies.set(ctx.caps, (cache = new Map()));
  const hit = cache.get(ctx.businessId);
  if (hit && ctx.clock.now() - hit.at < CURRENCY_CACHE_MS) return hit.currency;
  const currency = await reportingCurrency(ctx.tenant);
  cache.set(ctx.businessId, { currency, at: ctx.clock.now() });
  return currency;
}

interface Resolution {
  profileId: number | null;
  session: SessionRow | null;
  trackable: ResolvedTrackable | null;
}

async function writeGroup(ctx: TenantContext, events: readonly PreparedEvent[]): Promise<Outcome[]> {
  const now = epochSeconds(ctx.clock);
  const outcomes: Outcome[] = events.map(() => ({ ok: true, value: undefined }));
  const fail = (index: number, error: unknown) => (outcomes[index] = { ok: false, error });

  // Independent lookups are sent together: where the connection takes queries in a pipeline
  // (SQLite's thread), their round trips overlap.
  const profileIds = [...new Set(events.flatMap((event) => (event.profileId === undefined ? [] : [event.profileId])))];
  const [actions, sessions, profileRows] = await Promise.all([
    actionsByName(ctx, [...new Set(events.map((event) => event.action))]),
    sessionsOf(ctx, events, now),
    existingProfileIds(ctx.tenant, profileIds),
  ]);
  const profiles = new Set(profileRows.map((row) => row.id));

  const rules = events.map((event) => {
    const action = actions.get(event.action);
    return action ? ruleOf(action.name, action.builtin === 1) : undefined;
  });
  // Every rule that needs no writes is checked before anything is written for the batch.
  const resolutions: Array<Resolution | undefined> = events.map((event, index) => {
    const rule = rules[index];
    if (!rule) return void fail(index, new DomainError('invalid', `No action is named "${event.action}": create it first (POST /v1/attribution/actions).`, 'action'));
    if (rule.moneyRequired && (!event.money || !event.currencyGiven)) {
      return void fail(index, new DomainError('missing', `${event.action} requires an amount and a currency.`, event.money ? 'currency' : 'amount'));
    }
    if (event.profileId !== undefined && !profiles.has(event.profileId)) return void fail(index, notFound('Profile', 'profile'));
    const session = event.session ? sessions.get(event.session.id ?? event.session.token) : null;
    if (session === undefined) return void fail(index, notFound('Session', 'session'));
    return { profileId: event.profileId ?? null, session, trackable: null };
  });

  await resolveTrackables(ctx, events, rules, resolutions, fail);

  // Sessions and profiles, in the order the events arrived: an unassigned session is
  // assigned to the first profile given with it; any other profile is refused.
  const owners = new Map<number, number | null>();
  const assigned = new Set<number>();
  resolutions.forEach((resolution, index) => {
    const session = resolution?.session;
    if (!resolution || !session || !outcomes[index]?.ok) return;
    const owner = owners.has(session.id) ? (owners.get(session.id) ?? null) : session.profile_id;
    if (resolution.profileId === null) return;
    if (owner === null) {
      owners.set(session.id, resolution.profileId);
      assigned.add(session.id);
    } else if (owner !== resolution.profileId) {
      fail(index, new DomainError('session_assigned_to_another_profile', 'This session belongs to another profile.', 'session'));
    }
  });
  for (const sessionId of assigned) {
    const profileId = owners.get(sessionId) as number;
    // Conditional: another writer may have assigned the session since it was read.
    const owner = await claimSession(ctx.tenant, sessionId, profileId, now);
    if (owner === profileId) {
      await moveSessionHistory(ctx.tenant, sessionId, profileId, now);
      continue;
    }
    owners.set(sessionId, owner);
    resolutions.forEach((resolution, index) => {
      if (resolution?.session?.id === sessionId && resolution.profileId !== null && resolution.profileId !== owner) {
        fail(index, new DomainError('session_assigned_to_another_profile', 'This session belongs to another profile.', 'session'));
      }
    });
  }
  // Events given only a session belong to its profile, including one this batch assigned.
  for (const resolution of resolutions) {
    const session = resolution?.session;
    if (resolution && session && resolution.profileId === null) resolution.profileId = owners.has(session.id) ? (owners.get(session.id) ?? null) : session.profile_id;
  }

  const convert = await converter(ctx);
  const reporting = await cachedReportingCurrency(ctx);
  const written: Array<{ index: number; row: Parameters<typeof insertEvents>[1][number]; passive: boolean }> = [];
  events.forEach((event, index) => {
    const resolution = resolutions[index];
    const action = actions.get(event.action);
    if (!resolution || !action || !outcomes[index]?.ok) return;
    const money: Money | undefined = event.money ?? (resolution.trackable?.money ? resolution.trackable.money : undefined);
    const converted = money ? convert(money, reporting) : null;
    written.push({
      index,
      passive: action.passive === 1,
      row: {
        action_id: action.id,
        profile_id: resolution.profileId,
        session_id: resolution.session?.id ?? null,
        trackable_type: resolution.trackable?.type ?? null,
        trackable_id: resolution.trackable?.id ?? null,
        amount_e4: money?.e4 ?? null,
        currency: money?.currency ?? null,
        converted_e4: converted,
        converted_currency: converted === null ? null : reporting,
        metadata: event.metadata,
        url: event.url,
        details: withMoved(event.details, resolution.trackable?.moved),
        message_id: resolution.session?.message_id ?? null,
        campaign_id: resolution.session?.campaign_id ?? null,
        journey_id: resolution.session?.journey_id ?? null,
        tracked_at: event.trackedAt ?? now,
        created_at: now,
        updated_at: now,
      },
    });
  });
  if (written.length === 0) return outcomes;

  await insertEvents(
    ctx.tenant,
    written.map((entry) => entry.row),
  );
  // Each event is its own entry in its profile's trail (activity.service.ts): nothing else to write.
  const touched = [...new Set(written.flatMap((entry) => (entry.row.profile_id == null ? [] : [entry.row.profile_id])))];
  const inbox = [...new Set(written.filter((entry) => !entry.passive && entry.row.profile_id != null).map((entry) => entry.row.profile_id as number))];
  await touchProfiles(ctx.tenant, touched, inbox, now);
  return outcomes;
}

/** The event's details (JSON text) with the products it moved, under `products`. */
function withMoved(details: string | null, moved: ResolvedTrackable['moved']): string | null {
  if (!moved || moved.length === 0) return details;
  const given: unknown = details === null ? {} : JSON.parse(details);
  return JSON.stringify({ ...(typeof given === 'object' && given !== null ? given : {}), products: moved });
}

/** Every session the batch names, by id or token; unseen well-formed tokens become sessions. */
async function sessionsOf(ctx: TenantContext, events: readonly PreparedEvent[], now: number): Promise<Map<number | string, SessionRow>> {
  const found = new Map<number | string, SessionRow>();
  const byId = [...new Set(events.flatMap((event) => (event.session?.id === undefined ? [] : [event.session.id])))];
  const tokens = [...new Set(events.flatMap((event) => (event.session ? [event.session.token] : [])))];
  // Locked until the batch commits (PostgreSQL), so an attach cannot slip between reading a
  // session and writing its events.
  for (const row of await sessionsByRefs(ctx.tenant, byId, tokens, ctx.caps.rowLocks)) {
    found.set(row.uuid, row);
    if (byId.includes(row.id)) found.set(row.id, row);
  }
  const unseen = tokens.filter((token) => !found.has(token) && isSessionToken(token));
  const fromBrowser = new Set(events.flatMap((event) => (event.fromBrowser && event.session ? [event.session.token] : [])));
  for (const row of await ensureSessions(
    ctx.tenant,
    unseen.map((uuid) => ({ uuid, source: fromBrowser.has(uuid) ? ('client' as const) : ('api' as const), created_at: now, updated_at: now })),
  )) {
    found.set(row.uuid, row);
  }
  // Events naming a session by id find it under the id; by token, under the token.
  for (const event of events) {
    const ref = event.session;
    if (ref?.id !== undefined && !found.has(ref.id)) {
      const byToken = found.get(ref.token);
      if (byToken) found.set(ref.id, byToken);
    }
  }
  return found;
}

/** Custom actions take the first trackable given, in this order. */
const CUSTOM_ORDER: readonly TrackableType[] = ['order', 'product', 'product_variant', 'app', 'form', 'refund', 'coupon', 'cart'];

/** The trackable an event is tracked for: the one its action's family names, else the first given. */
function chosenSpec(event: PreparedEvent, rule: ActionRule): TrackableSpec | undefined {
  const spec = pick(event, rule);
  // Products move in and out of a cart only with cart.added / cart.removed; other actions
  // are tracked for the cart alone.
  if (spec?.kind === 'resolve' && spec.changesCartItems && !rule.cartItems) return spec.withoutItems;
  return spec;
}

function pick(event: PreparedEvent, rule: ActionRule): TrackableSpec | undefined {
  if (rule.trackable === 'product') return event.trackables.product_variant ?? event.trackables.product;
  if (rule.trackable) return event.trackables[rule.trackable];
  for (const type of CUSTOM_ORDER) if (event.trackables[type]) return event.trackables[type];
  return undefined;
}


async function resolveTrackables(
  ctx: TenantContext,
  events: readonly PreparedEvent[],
  rules: ReadonlyArray<ActionRule | undefined>,
  resolutions: Array<Resolution | undefined>,
  fail: (index: number, error: unknown) => void,
): Promise<void> {
  const specs = events.map((event, index) => {
    const rule = rules[index];
    return rule && resolutions[index] ? chosenSpec(event, rule) : undefined;
  });
  const byType = new Map<TrackableType, number[]>();
  for (const spec of specs) if (spec?.kind === 'id') byType.set(spec.type, [...(byType.get(spec.type) ?? []), spec.id]);
  const facts = new Map<TrackableType, Awaited<ReturnType<typeof trackableFacts>>>();
  await Promise.all([...byType].map(async ([type, ids]) => facts.set(type, await trackableFacts(ctx.tenant, type, [...new Set(ids)]))));
  // Products named by id, reference or sku are found together, in a few queries for the batch.
  const named = specs.flatMap((spec, index) => (spec?.kind === 'product_ref' ? [{ index, ref: spec.ref }] : []));
  const matches = await resolveProductRefs(
    ctx,
    named.map((entry) => entry.ref),
  );
  const productOf = new Map(named.map((entry, position) => [entry.index, matches[position]]));

  for (const [index, spec] of specs.entries()) {
    const resolution = resolutions[index];
    const rule = rules[index];
    if (!resolution || !rule) continue;
    try {
      if (rule.cartItems && !(spec?.kind === 'resolve' && spec.changesCartItems)) {
        throw new DomainError('missing', `${events[index]?.action ?? 'This action'} requires products.`, 'products');
      }
      if (!spec) {
        if (rule.trackableRequired && rule.trackable) throw missingTrackable(rule.trackable);
        continue;
      }
      if (spec.kind === 'product_ref') {
        const match = productOf.get(index);
        if (!match) throw notFound('Product', spec.type);
        resolution.trackable = productTrackable(match.product, match.variant);
      } else if (spec.kind === 'id') {
        const fact = facts.get(spec.type)?.get(spec.id);
        // A browser names only its own session's carts and orders: others are not there for it.
        const foreign = events[index]?.fromBrowser === true && fact?.sessionId !== undefined && fact.sessionId !== (resolution.session?.id ?? null);
        if (!fact || foreign) throw notFound(TRACKABLE_TITLES[spec.type], spec.type);
        resolution.trackable = { type: spec.type, id: spec.id, money: fact.e4 !== null && fact.currency !== null ? { e4: fact.e4, currency: fact.currency } : undefined };
      } else {
        resolution.trackable = await spec.resolve(ctx, { profileId: resolution.profileId, sessionId: resolution.session?.id ?? null, action: events[index]?.action ?? '', fromBrowser: events[index]?.fromBrowser === true });
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      resolutions[index] = undefined;
      fail(index, error);
    }
  }
}
