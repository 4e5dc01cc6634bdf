import type { TrackableType } from '../../store/tables.js';
import { parseMoney, type Money } from '../commerce/money.js';
import type { ProductRef } from '../commerce/products.service.js';
import { DomainError, invalid } from '../shared/errors.js';
import { metadataText } from '../shared/metadata.js';
import type { TenantContext } from '../shared/tenant.js';
import type { SessionRef } from './sessions.service.js';

/** How each kind of trackable is named in messages ("Order was not found."). */
export const TRACKABLE_TITLES: Readonly<Record<TrackableType, string>> = {
  app: 'App',
  cart: 'Cart',
  coupon: 'Coupon',
  form: 'Form',
  order: 'Order',
  product: 'Product',
  product_variant: 'Product variant',
  refund: 'Refund',
};

/** The trackable an event ends up with, and the money it carries (an order's total, a product's price). */
export interface ResolvedTrackable {
  readonly type: TrackableType;
  readonly id: number;
  readonly money: Money | undefined;
  /** What cart.added / cart.removed moved: kept with the event, so its trail entry shows the products. */
  readonly moved?: readonly MovedProduct[] | undefined;
}

/** A product or variant an event moved into or out of a cart, as the trail shows it. */
interface MovedProduct {
  readonly name: string;
  readonly sku: string | null;
  readonly quantity: number;
}

/** Whom the event is for, once sessions and profiles are resolved: objects created for the event belong to them. */
export interface EventOwner {
  readonly profileId: number | null;
  readonly sessionId: number | null;
  readonly action: string;
  /** Sent by a browser with the public id: it may only touch its own session's carts and orders. */
  readonly fromBrowser: boolean;
}

/**
 * How an event names its trackable: an existing object by id (checked in bulk per batch), or
 * work the core does in the event's transaction (find a product by reference or sku, create
 * an object from `*_parameters`, change a cart's items).
 */
/**
 * How an event names its trackable. `id` and `product_ref` are data only, so a batch of such
 * events can be handed to another thread (SQLite's, see event-ingest.ts). `resolve` runs
 * code that creates or changes objects: such an event is written in a transaction of its own.
 */
export type TrackableSpec =
  | { readonly kind: 'id'; readonly type: TrackableType; readonly id: number }
  /** A product or variant by id, reference or sku (a variant's reference or sku names that variant). */
  | { readonly kind: 'product_ref'; readonly type: 'product' | 'product_variant'; readonly ref: ProductRef }
  | {
      readonly kind: 'resolve';
      readonly type: TrackableType;
      /** Adds or removes cart items (what cart.added and cart.removed require). */
      readonly changesCartItems?: boolean;
      /** The cart alone, for actions that do not move items (cart.abandoned, custom actions). */
      readonly withoutItems?: TrackableSpec | undefined;
      resolve(ctx: TenantContext, owner: EventOwner): Promise<ResolvedTrackable>;
    };

/** An event checked for everything that needs no database, ready to be written. */
export interface PreparedEvent {
  readonly action: string;
  readonly profileId: number | undefined;
  readonly session: SessionRef | undefined;
  readonly money: Money | undefined;
  readonly currencyGiven: boolean;
  readonly trackables: Partial<Record<TrackableType, TrackableSpec>>;
  /** JSON text. */
  readonly metadata: string;
  readonly url: string | null;
  readonly details: string | null;
  readonly trackedAt: number | undefined;
  /** Writes in its own transaction instead of joining a batch (it creates or changes objects). */
  readonly solo: boolean;
  readonly fromBrowser: boolean;
}

export interface EventFields {
  readonly action?: string | undefined;
  readonly profileId?: number | undefined;
  readonly session?: SessionRef | undefined;
  readonly amount?: unknown;
  readonly currency?: unknown;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly trackedAt?: unknown;
  readonly url?: string | null | undefined;
  readonly details?: Record<string, unknown> | undefined;
  /** Tracked by a browser with the public id (sessions it names are the client's own). */
  readonly fromBrowser?: boolean | undefined;
}

const MAX_ACTION = 200;
const MAX_URL = 2048;
/** Events may be back-dated, not dated in the future beyond clock skew. */
const FUTURE_SKEW_SECONDS = 24 * 3600;

export function checkedAction(action: string | undefined): string {
  if (action === undefined) throw new DomainError('missing', 'This parameter is required.', 'action');
  const name = action.trim();
  if (name === '') throw new DomainError('empty', 'An event needs an action.', 'action');
  if (name.length > MAX_ACTION) throw invalid('action', `An action name has at most ${MAX_ACTION} characters.`);
  return name;
}

export function checkedTrackedAt(value: unknown, nowSeconds: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) throw invalid('tracked_at', 'Expected epoch seconds.');
  const whole = Math.floor(seconds);
  if (whole > nowSeconds + FUTURE_SKEW_SECONDS) throw invalid('tracked_at', 'An event cannot be tracked in the future.');
  return whole;
}

export function checkedUrl(url: string | null | undefined): string | null {
  if (url === undefined || url === null || url.trim() === '') return null;
  if (url.length > MAX_URL) throw invalid('url', `A URL has at most ${MAX_URL} characters.`);
  return url.trim();
}

/** Checks what needs no database and freezes the event's columns. */
export function prepareEvent(fields: EventFields, trackables: Partial<Record<TrackableType, TrackableSpec>>, nowSeconds: number, solo: boolean): PreparedEvent {
  const action = checkedAction(fields.action);
  if (fields.profileId === undefined && fields.session === undefined) {
    throw new DomainError('missing', 'Give the profile the event belongs to, or its session.', 'profile');
  }
  const details = fields.details && Object.keys(fields.details).length > 0 ? JSON.stringify(fields.details) : null;
  return {
    action,
    profileId: fields.profileId,
    session: fields.session,
    money: parseMoney(fields.amount, fields.currency),
    currencyGiven: fields.currency !== undefined && fields.currency !== null && fields.currency !== '',
    trackables,
    metadata: metadataText(fields.metadata) ?? '{}',
    url: checkedUrl(fields.url),
    details,
    trackedAt: checkedTrackedAt(fields.trackedAt, nowSeconds),
    solo,
    fromBrowser: fields.fromBrowser === true,
  };
}
