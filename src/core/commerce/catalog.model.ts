import { findProfile } from '../audience/profiles.repository.js';
import { findBusinessById } from '../business/businesses.repository.js';
import { findSession, type SessionRow } from '../tracking/sessions.repository.js';
import { attachSession, findOrCreateSession, type SessionRef } from '../tracking/sessions.service.js';
import type { SessionSource } from '../../store/tables.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import { converter } from './exchange-rates.service.js';
import { checkedE4, DEFAULT_CURRENCY, parseAmount, parseCurrency, times, type Money } from './money.js';
import { orderItemRows, updateOrderRow } from './orders.repository.js';

/**
 * What the catalog's objects (products, variants, orders, carts, refunds) share: the limits
 * of their text fields, how money is read from a client and shown beside its conversion into
 * the business's reporting currency, and how a nested parameter is named in a refusal.
 */

export const MAX_NAME = 500;
export const MAX_SHORT_TEXT = 200;
export const MAX_URL = 2048;
/** Categories, collections and tags of one product. */
export const MAX_LABELS = 100;
/** Items of one order or cart, variants of one product, given in one request. */
export const MAX_ENTRIES = 250;

/** Bounds what one request may add, so a single call cannot hold a transaction for long. */
export function checkedEntries<T>(entries: readonly T[] | undefined, parameter: string): readonly T[] {
  if (entries && entries.length > MAX_ENTRIES) throw invalid(parameter, `At most ${MAX_ENTRIES} entries per request.`);
  return entries ?? [];
}

/** `items[0]` + `price` → `items[0][price]`; a top-level parameter has no prefix. */
export const nested = (prefix: string, key: string): string => (prefix === '' ? key : `${prefix}[${key}]`);

/** A price or total as the client wrote it; the core validates it. */
export interface MoneyInput {
  readonly amount?: unknown;
  readonly currency?: unknown;
  /** The names of the two parameters where they were given, for refusals. */
  readonly parameters: { readonly amount: string; readonly currency: string };
}

/**
 * Money as given: undefined when no amount was given (a currency alone is refused), in
 * `fallbackCurrency` when no currency was. Prices and totals are never negative.
 */
export function readMoney(input: MoneyInput | undefined, fallbackCurrency = DEFAULT_CURRENCY): Money | undefined {
  if (!input) return undefined;
  const given = (value: unknown) => value !== undefined && value !== null && value !== '';
  if (!given(input.amount)) {
    if (given(input.currency)) throw new DomainError('missing', 'An amount is required when a currency is given.', input.parameters.amount);
    return undefined;
  }
  const e4 = parseAmount(input.amount, input.parameters.amount);
  if (e4 < 0) throw invalid(input.parameters.amount, 'An amount cannot be negative.');
  const currency = given(input.currency) ? parseCurrency(input.currency, input.parameters.currency) : fallbackCurrency;
  return { e4, currency };
}

/** Money beside its value in the business's reporting currency (null when no rate is known). */
export interface PriceView extends Money {
  readonly convertedE4: number | null;
  readonly convertedCurrency: string;
}

/** The reporting currency and today's rates, read once per use case. */
export interface Pricing {
  readonly currency: string;
  view(money: Money): PriceView;
  convert(money: Money, to: string): number | null;
}

export async function pricing(ctx: TenantContext): Promise<Pricing> {
  const business = await findBusinessById(ctx.db, ctx.businessId);
  const currency = business?.currency ?? DEFAULT_CURRENCY;
  const convert = await converter(ctx);
  return {
    currency,
    convert,
    view: (money) => ({ ...money, convertedE4: convert(money, currency), convertedCurrency: currency }),
  };
}

/** A stored price (both columns or neither) as money. */
export const storedMoney = (e4: number | null, currency: string | null): Money | null => (e4 === null || currency === null ? null : { e4, currency });

// Text fields.

/**
 * An optional text: undefined leaves it as it is, null or blank clears it; surrounding
 * blanks are dropped.
 */
export function checkedText(value: string | null | undefined, parameter: string, max = MAX_SHORT_TEXT): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > max) throw invalid(parameter, `At most ${max} characters.`);
  return trimmed;
}

/** A name: required when `required`, never blank once given. */
export function checkedName(value: string | null | undefined, parameter: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new DomainError('missing', 'This parameter is required.', parameter);
    if (value === null) throw new DomainError('empty', 'A name cannot be removed.', parameter);
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === '') throw new DomainError('empty', 'A name cannot be blank.', parameter);
  if (trimmed.length > MAX_NAME) throw invalid(parameter, `A name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

/** An http(s) URL, kept as given (trimmed); null or blank clears it. */
export function checkedUrl(value: string | null | undefined, parameter: string): string | null | undefined {
  const text = checkedText(value, parameter, MAX_URL);
  if (text === undefined || text === null) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(parameter, 'Expected an http or https URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(parameter, 'Expected an http or https URL.');
  return text;
}

/** Categories, collections or tags: trimmed, blanks dropped, stored as JSON text. */
export function checkedLabels(values: readonly string[] | undefined, parameter: string): string | undefined {
  if (values === undefined) return undefined;
  const labels = values.map((value) => value.trim()).filter((value) => value !== '');
  if (labels.length > MAX_LABELS) throw invalid(parameter, `At most ${MAX_LABELS} values.`);
  for (const label of labels) if (label.length > MAX_SHORT_TEXT) throw invalid(parameter, `Each value has at most ${MAX_SHORT_TEXT} characters.`);
  return JSON.stringify(labels);
}

/** Stored labels back as strings (a damaged row reads as none). */
export function parseLabels(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** `delivery`: collect or deliver; null or blank clears it. */
export function checkedDelivery(value: string | null | undefined, parameter = 'delivery'): 'collect' | 'deliver' | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.trim();
  if (text === '') return null;
  if (text === 'collect' || text === 'deliver') return text;
  throw invalid(parameter, 'Expected collect or deliver.');
}

// Totals.

/**
 * An order's total: the sum of its lines, which are all in its currency (USD when it has
 * none). A sum past the safe integer range is `invalid` on `parameter`.
 */
export function orderTotal(lines: ReadonlyArray<{ readonly price_e4: number; readonly currency: string; readonly quantity: number }>, parameter = 'items'): Money {
  const [first] = lines;
  const e4 = lines.reduce((sum, line) => checkedE4(sum + checkedE4(times(line.price_e4, line.quantity), parameter), parameter), 0);
  return { e4, currency: first?.currency ?? DEFAULT_CURRENCY };
}

/**
 * What lines in any currencies add up to, in the first line's currency at today's rates
 * (cart events: a cart has no currency of its own). Undefined without lines, or when a
 * line's currency has no rate: unknown rather than wrong. A sum past the safe integer range
 * is `invalid` on `parameter`.
 */
export async function linesTotal(ctx: TenantContext, lines: ReadonlyArray<{ readonly price: Money; readonly quantity: number }>, parameter = 'items'): Promise<Money | undefined> {
  const currency = lines[0]?.price.currency;
  if (currency === undefined) return undefined;
  const convert = await converter(ctx);
  let e4 = 0;
  for (const line of lines) {
    const price = convert(line.price, currency);
    if (price === null) return undefined;
    e4 = checkedE4(e4 + checkedE4(times(price, line.quantity), parameter), parameter);
  }
  return { e4, currency };
}

/** Sets each order's total from its lines; runs in the caller's transaction, after the lines changed. */
export async function recomputeOrderTotals(ctx: TenantContext, orderIds: readonly number[], parameter = 'items'): Promise<void> {
  const now = epochSeconds(ctx.clock);
  for (const orderId of orderIds) {
    const total = orderTotal(await orderItemRows(ctx.tenant, [orderId]), parameter);
    await updateOrderRow(ctx.tenant, orderId, { total_e4: total.e4, currency: total.currency, updated_at: now });
  }
}

// Who shops: the profile and session of an order or cart.

export interface ShopperInput {
  /** A profile id; null removes the profile. */
  readonly profile?: number | null | undefined;
  /** A session id or client token (an unseen token makes a session); null removes it. */
  readonly session?: SessionRef | null | undefined;
  /** How a session made for an unseen token came to be (default api). */
  readonly sessionSource?: SessionSource | undefined;
  /** Where the hash was given (`order_parameters`); empty at the top level. */
  readonly parameter?: string | undefined;
}

export interface Shopper {
  readonly profileId: number | null;
  readonly sessionId: number | null;
}

/**
 * The profile and session after applying `input` to `current`. A session that belongs to a
 * profile brings that profile when none is given, and refuses another one (given with it, or
 * later for the session already there): moving a session to another profile is
 * PATCH /v1/sessions/:id's job. A session that belongs to no one, named with a profile (or
 * given to an object that has one), becomes that profile's, with its history, as
 * PATCH /v1/sessions/:id would do. `required`: one of the two must remain.
 */
export async function resolveShopper(ctx: TenantContext, input: ShopperInput, current: Shopper, required: boolean): Promise<Shopper> {
  const prefix = input.parameter ?? '';
  if (input.profile !== undefined && input.profile !== null && !(await findProfile(ctx.tenant, input.profile))) throw notFound('Profile', nested(prefix, 'profile'));
  let profileId = input.profile === undefined ? current.profileId : input.profile;
  let sessionId = current.sessionId;
  let session: SessionRow | undefined;
  if (input.session === null) sessionId = null;
  else if (input.session !== undefined) {
    session = await findOrCreateSession(ctx, input.session, input.sessionSource ?? 'api', nested(prefix, 'session'));
    sessionId = session.id;
  } else if (sessionId !== null && input.profile !== undefined) session = await findSession(ctx.tenant, sessionId);
  if (session && session.profile_id !== null) {
    if (input.profile === undefined || input.profile === null) profileId = session.profile_id;
    else if (input.profile !== session.profile_id) throw new DomainError('session_assigned_to_another_profile', 'This session belongs to another profile.', nested(prefix, 'session'));
  }
  if (required && profileId === null && sessionId === null) throw new DomainError('object_invalid', 'Give the profile or the session.', nested(prefix, 'profile'));
  if (session && session.profile_id === null && profileId !== null) await attachSession(ctx, { id: session.id, token: session.uuid }, profileId, { onlyUnassigned: true });
  return { profileId, sessionId };
}
