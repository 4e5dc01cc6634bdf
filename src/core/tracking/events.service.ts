import type { TrackableType } from '../../store/tables.js';
import { findProfile } from '../audience/profiles.repository.js';
import { converter } from '../commerce/exchange-rates.service.js';
import { parseMoney, type Money } from '../commerce/money.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, notFound } from '../shared/errors.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { actionsByName, isBuiltinAction } from './actions.service.js';
import { missingTrackable, ruleOf, type ActionRule } from './action-rules.js';
import { submitEvent } from './event-batches.js';
import { writeEventNow } from './event-ingest.js';
import { deleteEventRow, findEvent, pageOfEvents, reportingCurrency, touchProfiles, trackableFacts, updateEventRow, type EventWithAction } from './events.repository.js';
import { resolveSession, type SessionRef } from './sessions.service.js';
import { checkedAction, checkedTrackedAt, checkedUrl, prepareEvent, type EventFields, type TrackableSpec } from './track-input.js';
import { summaryKey, trackableSummaries, type TrackableSummary } from './trackables.repository.js';

export interface TrackedEvent {
  readonly id: number;
  readonly action: { readonly id: number; readonly name: string; readonly title: string };
  readonly money: Money | null;
  readonly converted: Money | null;
  readonly createdAt: number;
  readonly metadata: Record<string, unknown>;
  readonly profileId: number | null;
  readonly sessionId: number | null;
  readonly trackable: TrackableSummary | null;
  readonly trackedAt: number;
  readonly url: string | null;
}

export interface TrackInput extends EventFields {
  readonly trackables?: Partial<Record<TrackableType, TrackableSpec>> | undefined;
}

/**
 * Tracks one event and resolves once it is committed. Events that only name existing objects
 * join a group commit; events that create or change objects (inline `*_parameters`, cart
 * items) are written in a transaction of their own.
 */
export async function trackEvent(ctx: TenantContext, input: TrackInput): Promise<void> {
  const trackables = input.trackables ?? {};
  const solo = Object.values(trackables).some((spec) => spec.kind === 'resolve');
  const event = prepareEvent(input, trackables, epochSeconds(ctx.clock), solo);
  if (!solo) return submitEvent(ctx, event);
  await inTransaction(ctx, (trx) => writeEventNow(trx, event));
}

async function hydrate(ctx: TenantContext, rows: readonly EventWithAction[]): Promise<TrackedEvent[]> {
  const summaries = await trackableSummaries(
    ctx.tenant,
    rows.flatMap((row) => (row.trackable_type && row.trackable_id !== null ? [{ type: row.trackable_type, id: row.trackable_id }] : [])),
  );
  return rows.map((row) => ({
    id: row.id,
    action: { id: row.action_id, name: row.action_name, title: row.action_title },
    money: row.amount_e4 !== null && row.currency !== null ? { e4: row.amount_e4, currency: row.currency } : null,
    converted: row.converted_e4 !== null && row.converted_currency !== null ? { e4: row.converted_e4, currency: row.converted_currency } : null,
    createdAt: row.created_at,
    metadata: parseMetadata(row.metadata),
    profileId: row.profile_id,
    sessionId: row.session_id,
    trackable: row.trackable_type && row.trackable_id !== null ? (summaries.get(summaryKey(row.trackable_type, row.trackable_id)) ?? null) : null,
    trackedAt: row.tracked_at,
    url: row.url,
  }));
}

async function existingEvent(ctx: TenantContext, id: number): Promise<EventWithAction> {
  const row = await findEvent(ctx.tenant, id);
  if (!row) throw notFound('Event');
  return row;
}

export async function getEvent(ctx: TenantContext, id: number): Promise<TrackedEvent> {
  const [event] = await hydrate(ctx, [await existingEvent(ctx, id)]);
  return event as TrackedEvent;
}

export async function listEvents(ctx: TenantContext, bounds: KeyBounds, filter: { profileId?: number; session?: SessionRef } = {}): Promise<TrackedEvent[]> {
  const sessionId = filter.session ? (await resolveSession(ctx, filter.session)).id : undefined;
  return hydrate(ctx, await pageOfEvents(ctx.tenant, bounds, { profileId: filter.profileId, sessionId }));
}

export async function deleteEvent(ctx: TenantContext, id: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    await existingEvent(trx, id);
    await deleteEventRow(trx.tenant, id);
  });
}

export interface EventChanges extends EventFields {
  /** A trackable by id; `null` removes it. */
  readonly trackable?: { readonly type: TrackableType; readonly id: number } | null | undefined;
}

/**
 * The rules of the event's action hold after an update as they did when it was tracked: a
 * trackable of the action's family (app.spent's money), never one of another family. Cart
 * items are moved only by tracking cart.added / cart.removed, so an event cannot become one.
 */
function assertRuleHolds(rule: ActionRule, action: string, changes: EventChanges, after: { trackableType: TrackableType | null; hasMoney: boolean }): void {
  if (rule.cartItems && changes.action !== undefined) {
    throw new DomainError('invalid', `${action} moves products into or out of a cart: track it as a new event instead.`, 'action');
  }
  if (rule.moneyRequired && !after.hasMoney) throw new DomainError('missing', `${action} requires an amount and a currency.`, 'amount');
  if (!rule.trackable) return;
  const fits = after.trackableType === rule.trackable || (rule.trackable === 'product' && after.trackableType === 'product_variant');
  if (after.trackableType !== null && !fits) {
    throw new DomainError('invalid', `${action} is tracked for a ${rule.trackable.replace('_', ' ')}, not a ${after.trackableType.replace('_', ' ')}.`, after.trackableType);
  }
  if (rule.trackableRequired && after.trackableType === null) throw missingTrackable(rule.trackable);
}

/** Updates what was tracked. The rules of tracking apply again: a session keeps its profile. */
export async function updateEvent(ctx: TenantContext, id: number, changes: EventChanges): Promise<TrackedEvent> {
  await inTransaction(ctx, async (trx) => {
    const row = await existingEvent(trx, id);
    const now = epochSeconds(ctx.clock);
    const update: Parameters<typeof updateEventRow>[2] = { updated_at: now };
    const actionName = changes.action === undefined ? row.action_name : checkedAction(changes.action);
    // What a cart event moved stays what it moved: it cannot become another action's event.
    if (actionName !== row.action_name && ruleOf(row.action_name, isBuiltinAction(row.action_name)).cartItems) {
      throw new DomainError('invalid', `${row.action_name} moved products into or out of a cart: track another event instead.`, 'action');
    }
    const action = (await actionsByName(trx, [actionName])).get(actionName);
    if (!action) throw new DomainError('invalid', `No action is named "${actionName}".`, 'action');
    if (changes.action !== undefined) update.action_id = action.id;
    let profileId = row.profile_id;
    if (changes.profileId !== undefined) {
      if (!(await findProfile(trx.tenant, changes.profileId))) throw notFound('Profile', 'profile');
      profileId = changes.profileId;
    }
    let sessionId = row.session_id;
    if (changes.session !== undefined) {
      const session = await resolveSession(trx, changes.session);
      sessionId = session.id;
      // Attribution follows the session: what sent the link it came from.
      Object.assign(update, { message_id: session.message_id, campaign_id: session.campaign_id, journey_id: session.journey_id });
    }
    if (sessionId !== null && (changes.session !== undefined || changes.profileId !== undefined)) {
      const session = await resolveSession(trx, { id: sessionId, token: '' });
      if (session.profile_id !== null && profileId !== null && session.profile_id !== profileId) {
        throw new DomainError('session_assigned_to_another_profile', 'This session belongs to another profile.', 'session');
      }
      profileId ??= session.profile_id;
    }
    update.profile_id = profileId;
    update.session_id = sessionId;

    let money: Money | undefined | null = undefined;
    if (changes.amount !== undefined || changes.currency !== undefined) money = parseMoney(changes.amount, changes.currency) ?? null;
    if (changes.trackable !== undefined) {
      update.trackable_type = changes.trackable?.type ?? null;
      update.trackable_id = changes.trackable?.id ?? null;
      if (changes.trackable) {
        const fact = (await trackableFacts(trx.tenant, changes.trackable.type, [changes.trackable.id])).get(changes.trackable.id);
        if (!fact) throw notFound(changes.trackable.type.replace('_', ' '), changes.trackable.type);
        if (money === undefined && row.amount_e4 === null && fact.e4 !== null && fact.currency !== null) money = { e4: fact.e4, currency: fact.currency };
      }
    }
    if (money !== undefined) {
      const reporting = await reportingCurrency(trx.tenant);
      const converted = money ? (await converter(trx))(money, reporting) : null;
      Object.assign(update, { amount_e4: money?.e4 ?? null, currency: money?.currency ?? null, converted_e4: converted, converted_currency: converted === null ? null : reporting });
    }
    const rule = ruleOf(action.name, action.builtin === 1);
    assertRuleHolds(rule, action.name, changes, {
      trackableType: update.trackable_type !== undefined ? update.trackable_type : row.trackable_type,
      hasMoney: money !== undefined ? money !== null : row.amount_e4 !== null,
    });
    const metadata = metadataText(changes.metadata);
    if (metadata !== undefined) update.metadata = metadata;
    if (changes.trackedAt !== undefined) update.tracked_at = checkedTrackedAt(changes.trackedAt, now) ?? row.tracked_at;
    if (changes.url !== undefined) update.url = checkedUrl(changes.url);
    await updateEventRow(trx.tenant, id, update);
    // An event that now asks for attention (another action, or now someone's) moves the
    // profile's conversation up the inbox, as tracking it would have.
    if (profileId !== null && action.passive === 0 && (changes.action !== undefined || profileId !== row.profile_id)) {
      await touchProfiles(trx.tenant, [profileId], [profileId], now);
    }
  });
  return getEvent(ctx, id);
}
