import type { TrackableType } from '../../store/tables.js';
import type { EventChanges, TrackInput } from '../../core/tracking/events.service.js';
import type { SessionRef } from '../../core/tracking/sessions.service.js';
import { TRACKABLE_TITLES, type TrackableSpec } from '../../core/tracking/track-input.js';
import { invalid, missing, notFound } from '../../core/shared/errors.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { recordField, textField, type Body } from './body-fields.js';
import { cartItems, newApp, newCart, newCoupon, newForm, newOrder, newProduct, newRefund, newVariant, productByRef } from '../../core/tracking/trackable-specs.js';
import { appInputFrom, couponInputFrom, formInputFrom } from './attribution-objects.params.js';
import { cartInputFrom, lineItemsFrom, orderInputFrom, productInputFrom, productRefOf, refundInputFrom, variantInputFrom } from './catalog.params.js';

/**
 * Maps Hellotext's tracking parameters onto the core's event input. The external-tracking
 * guide names some of them with an `_id` suffix (`product_id`, `session_id`): both spellings
 * are read.
 */

export const TRACKABLE_TYPES: readonly TrackableType[] = ['app', 'cart', 'coupon', 'form', 'order', 'product', 'product_variant', 'refund'];


/** `name` or `name_id`: the first given (hot paths pass the `_id` spelling made once). */
export function aliased(body: Body, name: string, idKey = `${name}_id`): string | null | undefined {
  const plain = textField(body, name);
  return plain === undefined ? textField(body, idKey) : plain;
}

export const sessionRef = (ids: PublicIds, text: string): SessionRef => ({ id: ids.decode('session', text), token: text });

function profileOf(body: Body, ids: PublicIds): number | undefined {
  const profile = aliased(body, 'profile');
  if (profile === undefined || profile === null || profile === '') return undefined;
  return ids.require('profile', profile, 'Profile', 'profile');
}

function sessionOf(body: Body, ids: PublicIds): SessionRef | undefined {
  const session = aliased(body, 'session');
  return session === undefined || session === null || session === '' ? undefined : sessionRef(ids, session);
}

/** An existing object by id; products and variants are also found by reference or sku. */
export function trackableById(type: TrackableType, text: string, ids: PublicIds): TrackableSpec {
  if (type === 'product' || type === 'product_variant') return productByRef(type, productRefOf(text, ids));
  const id = ids.decode(type, text);
  if (id === undefined) throw notFound(TRACKABLE_TITLES[type], type);
  return { kind: 'id', type, id };
}

/** An object described by its `*_parameters`, created with the event. */
function trackableFromParameters(type: TrackableType, parameters: Record<string, unknown>, body: Body, ids: PublicIds): TrackableSpec | undefined {
  switch (type) {
    case 'app':
      return newApp(appInputFrom(parameters));
    case 'coupon':
      return newCoupon(couponInputFrom(parameters));
    case 'form':
      return newForm(formInputFrom(parameters));
    case 'order':
      return newOrder(orderInputFrom(parameters, ids, 'order_parameters'));
    case 'refund':
      return newRefund(refundInputFrom(parameters, ids, 'refund_parameters'));
    case 'product':
      return newProduct(productInputFrom(parameters, ids, 'product_parameters'));
    case 'product_variant': {
      // A new variant needs its product: `product` names it (the reference says so).
      const parent = aliased(body, 'product');
      if (parent === undefined || parent === null || parent === '') throw missing('product');
      const { productId, text } = productRefOf(parent, ids);
      return newVariant({ productId, text }, variantInputFrom(parameters, ids, 'product_variant_parameters'));
    }
    case 'cart':
      return newCart(cartInputFrom(parameters, ids, 'cart_parameters'));
  }
}

/** Each type's parameter names, spelled once rather than on every event. */
const TRACKABLE_KEYS = TRACKABLE_TYPES.map((type) => ({ type, idKey: `${type}_id`, parametersKey: `${type}_parameters` }));

/** Every trackable the body names, by id or with `*_parameters` to create it. */
export function trackablesOf(body: Body, ids: PublicIds): Partial<Record<TrackableType, TrackableSpec>> {
  const specs: Partial<Record<TrackableType, TrackableSpec>> = {};
  for (const { type, idKey, parametersKey } of TRACKABLE_KEYS) {
    const text = aliased(body, type, idKey);
    const parameters = recordField(body, parametersKey);
    if (text !== undefined && text !== null && text !== '') specs[type] = trackableById(type, text, ids);
    else if (parameters) {
      const spec = trackableFromParameters(type, parameters, body, ids);
      if (spec) specs[type] = spec;
    }
  }
  const products = lineItemsFrom(body.products, ids, 'products');
  if (products && products.length > 0) {
    const cartText = aliased(body, 'cart');
    const cartParameters = recordField(body, 'cart_parameters');
    const cartId = cartText ? ids.decode('cart', cartText) : undefined;
    if (cartText && cartId === undefined) throw notFound('Cart', 'cart');
    const target = cartId !== undefined ? { id: cartId } : cartParameters ? { create: cartInputFrom(cartParameters, ids, 'cart_parameters') } : undefined;
    specs.cart = cartItems(target, products);
  }
  return specs;
}

export function trackInputFrom(body: Body, ids: PublicIds): TrackInput {
  return {
    action: textField(body, 'action') ?? undefined,
    profileId: profileOf(body, ids),
    session: sessionOf(body, ids),
    amount: body.amount,
    currency: body.currency,
    metadata: recordField(body, 'metadata'),
    trackedAt: body.tracked_at,
    url: textField(body, 'url'),
    trackables: trackablesOf(body, ids),
  };
}

export function eventChangesFrom(body: Body, ids: PublicIds): EventChanges {
  // Products move in and out of carts only as cart.added / cart.removed are tracked.
  if (body.products !== undefined) throw invalid('products', 'The products of a tracked event cannot be changed: give product (one product id), or track cart.added or cart.removed.');
  const action = textField(body, 'action');
  let trackable: EventChanges['trackable'];
  for (const type of TRACKABLE_TYPES) {
    const text = aliased(body, type);
    if (text === undefined) continue;
    if (text === null || text === '') trackable = null;
    else {
      const id = ids.decode(type, text);
      if (id === undefined) throw notFound(TRACKABLE_TITLES[type], type);
      trackable = { type, id };
    }
  }
  return {
    action: action ?? undefined,
    profileId: profileOf(body, ids),
    session: sessionOf(body, ids),
    amount: body.amount,
    currency: body.currency,
    metadata: recordField(body, 'metadata'),
    trackedAt: body.tracked_at,
    url: textField(body, 'url'),
    trackable,
  };
}
