import { DomainError, invalid, missing } from '../../core/shared/errors.js';
import { metadataText } from '../../core/shared/metadata.js';
import type { TrackInput } from '../../core/tracking/events.service.js';
import { checkedToken } from '../../core/tracking/sessions.service.js';
import type { TrackableType } from '../../store/tables.js';
import { isRecord, recordField, textField, type Body } from '../hellotext/body-fields.js';
import { TRACKABLE_TYPES, trackInputFrom } from '../hellotext/events.params.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { sessionToken, utmParams } from './public.params.js';

/**
 * Maps the browser protocol's event body onto the same input as `POST /v1/attribution/events`:
 * `object` + `object_type` name the trackable, `object_parameters` give it inline, `page.url`
 * is the event url, and what the page reports of itself (page, UTM parameters, device, user
 * parameters) is kept in the event's details. A browser names its session by token only and
 * never a profile; it creates no coupon or refund, and what it creates is its session's own.
 */

/** Keys of the private body a browser may also use as they are (the Hellotext library spreads its params). */
const PASSED_THROUGH = ['action', 'amount', 'currency', 'metadata', 'tracked_at', 'products'] as const;

const isTrackableType = (value: string): value is TrackableType => (TRACKABLE_TYPES as readonly string[]).includes(value);

/**
 * What a page may not describe inline: coupons (their destination_url goes into messages
 * the business sends) and refunds (money the business pays back) are the business's own
 * statements, made with the secret key. A page may still name an existing one by id.
 */
const NOT_FROM_BROWSERS: readonly TrackableType[] = ['coupon', 'refund'];

/**
 * Keys of a parameters hash that would name a profile, another session or an order. A
 * browser's objects belong to the event's own session (and its profile, if any): the core
 * gives them those owners when these keys are absent.
 */
const OWNER_KEYS = ['profile', 'profile_id', 'session', 'session_id', 'order', 'order_id'];

/** Refuses what a browser may not create, and parameters that name an owner. */
function refuseForeignParameters(body: Body): void {
  const objectType = textField(body, 'object_type');
  const hashes: Array<[string, TrackableType | undefined]> = TRACKABLE_TYPES.map((type) => [`${type}_parameters`, type]);
  hashes.push(['object_parameters', objectType !== undefined && objectType !== null && isTrackableType(objectType) ? objectType : undefined]);
  for (const [key, type] of hashes) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (type !== undefined && NOT_FROM_BROWSERS.includes(type)) {
      throw invalid(key, `A browser cannot create a ${type}: ${NOT_FROM_BROWSERS.join(' and ')}s are created with the secret API key (name an existing one by id).`);
    }
    if (!isRecord(value)) continue;
    for (const owner of OWNER_KEYS) {
      if (value[owner] !== undefined) throw invalid(`${key}[${owner}]`, `A browser's objects belong to its own session; ${owner} cannot be given here.`);
    }
  }
}

function trackableKeys(body: Body): Body {
  const keys: Body = {};
  for (const type of TRACKABLE_TYPES) {
    for (const key of [type, `${type}_id`, `${type}_parameters`]) if (body[key] !== undefined) keys[key] = body[key];
  }
  const object = textField(body, 'object');
  const objectParameters = recordField(body, 'object_parameters');
  const objectType = textField(body, 'object_type');
  if ((object !== undefined && object !== null && object !== '') || objectParameters !== undefined) {
    if (objectType === undefined || objectType === null || objectType === '') throw missing('object_type');
    if (!isTrackableType(objectType)) throw invalid('object_type', `Expected one of ${TRACKABLE_TYPES.join(', ')}.`);
    if (keys[objectType] !== undefined || keys[`${objectType}_id`] !== undefined || keys[`${objectType}_parameters`] !== undefined) {
      throw new DomainError('ambiguous', `Name the ${objectType} either with object or with ${objectType}, not both.`, 'object');
    }
    if (object !== undefined && object !== null && object !== '') keys[objectType] = object;
    else keys[`${objectType}_parameters`] = objectParameters;
  }
  return keys;
}

/** A hash the page reports of itself, bounded like metadata. */
function reported(body: Body, key: string): Record<string, unknown> | undefined {
  const value = recordField(body, key);
  if (value === undefined) return undefined;
  metadataText(value, key);
  return value;
}

export function publicTrackInput(body: Body, ids: PublicIds): TrackInput {
  for (const key of ['profile', 'profile_id']) {
    if (body[key] !== undefined) throw invalid(key, 'A browser tracks for its session; it never names a profile.');
  }
  refuseForeignParameters(body);
  const token = sessionToken(body);
  if (token === undefined) throw missing('session');
  // A token only: a session's public id appears in the private API and is no secret.
  const session = { token: checkedToken(token) };
  const page = reported(body, 'page');
  const url = (page === undefined ? undefined : textField(page, 'url')) ?? textField(body, 'url');
  const hellotextBody: Body = { ...trackableKeys(body), url };
  for (const key of PASSED_THROUGH) if (body[key] !== undefined) hellotextBody[key] = body[key];
  const details = {
    page,
    utm_params: utmParams(body),
    device: reported(body, 'device'),
    user_parameters: reported(body, 'user_parameters'),
  };
  return {
    ...trackInputFrom(hellotextBody, ids),
    session,
    fromBrowser: true,
    details: Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)),
  };
}
