import { createApp, type AppInput } from '../commerce/apps.service.js';
import { findAppByName } from '../commerce/apps.repository.js';
import { findCart } from '../commerce/carts.repository.js';
import { findCouponByCode } from '../commerce/coupons.repository.js';
import { findFormByName } from '../commerce/forms.repository.js';
import { addCartItems, createCart, removeCartItems, type CartInput } from '../commerce/carts.service.js';
import { linesTotal } from '../commerce/catalog.model.js';
import { createCoupon, type CouponInput } from '../commerce/coupons.service.js';
import { createForm, type FormInput } from '../commerce/forms.service.js';
import type { LineItemInput } from '../commerce/line-items.js';
import type { Money } from '../commerce/money.js';
import { createOrder, type OrderInput } from '../commerce/orders.service.js';
import { findOrCreateProduct, type ProductInput, type ProductRef, type VariantRow } from '../commerce/products.service.js';
import { createRefund, type RefundInput } from '../commerce/refunds.service.js';
import { createVariant } from '../commerce/variants.service.js';
import type { VariantInput } from '../commerce/products.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { SessionRef } from './sessions.service.js';
import type { EventOwner, ResolvedTrackable, TrackableSpec } from './track-input.js';

/**
 * The ways an event names its object beyond a plain id, as work done in the event's
 * transaction: find a product by reference or sku, create an object from `*_parameters`
 * (owned by the event's profile and session), add or remove cart items. Objects created
 * here follow the same rules as their own endpoints.
 */

const money = (value: Money | null | undefined): Money | undefined => (value ? { e4: value.e4, currency: value.currency } : undefined);
const variantMoney = (variant: VariantRow): Money | undefined => (variant.price_e4 !== null && variant.currency !== null ? { e4: variant.price_e4, currency: variant.currency } : undefined);
const ownerSession = (owner: EventOwner): SessionRef | undefined => (owner.sessionId === null ? undefined : { id: owner.sessionId, token: '' });

/** An event's trackable for a product match: the product when it is its default variant, else the variant. */
export function productTrackable(product: { id: number }, variant: VariantRow): ResolvedTrackable {
  return variant.is_default === 1 ? { type: 'product', id: product.id, money: variantMoney(variant) } : { type: 'product_variant', id: variant.id, money: variantMoney(variant) };
}

/** A product or variant by id, reference or sku (a variant's reference or sku names that variant). */
export const productByRef = (type: 'product' | 'product_variant', ref: ProductRef): TrackableSpec => ({ kind: 'product_ref', type, ref });

export const newProduct = (input: ProductInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'product',
  // A product described again by its reference or sku is the one already stored.
  resolve: async (ctx) => {
    const { product, variant } = await findOrCreateProduct(ctx, input);
    return productTrackable(product, variant);
  },
});

export const newVariant = (parent: Omit<ProductRef, 'variantId'>, input: VariantInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'product_variant',
  resolve: async (ctx) => {
    const variant = await createVariant(ctx, parent, input);
    return { type: 'product_variant', id: variant.id, money: money(variant.price) };
  },
});

// Apps, forms and coupons are unique by name or code: an SDK that sends the same
// `app_parameters` with every event tracks them for the one it created first.

export const newApp = (input: AppInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'app',
  resolve: async (ctx) => {
    const existing = input.name ? await findAppByName(ctx.tenant, input.name.trim()) : undefined;
    return { type: 'app', id: existing?.id ?? (await createApp(ctx, input)).id, money: undefined };
  },
});

export const newForm = (input: FormInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'form',
  resolve: async (ctx) => {
    const existing = input.name ? await findFormByName(ctx.tenant, input.name.trim()) : undefined;
    return { type: 'form', id: existing?.id ?? (await createForm(ctx, input)).id, money: undefined };
  },
});

export const newCoupon = (input: CouponInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'coupon',
  resolve: async (ctx) => {
    const existing = input.code ? await findCouponByCode(ctx.tenant, input.code.trim()) : undefined;
    return { type: 'coupon', id: existing?.id ?? (await createCoupon(ctx, input)).id, money: undefined };
  },
});

export const newOrder = (input: OrderInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'order',
  resolve: async (ctx, owner) => {
    const order = await createOrder(ctx, { ...input, profile: input.profile ?? owner.profileId, session: input.session ?? ownerSession(owner) });
    return { type: 'order', id: order.id, money: money(order.total) };
  },
});

export const newRefund = (input: RefundInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'refund',
  resolve: async (ctx, owner) => {
    const refund = await createRefund(ctx, { ...input, profile: input.profile ?? owner.profileId });
    return { type: 'refund', id: refund.id, money: money(refund.total) };
  },
});

/** A cart described by `cart_parameters`, made for the event's profile and session. */
export const newCart = (input: CartInput): TrackableSpec => ({
  kind: 'resolve',
  type: 'cart',
  resolve: async (ctx, owner) => {
    const cart = await createCart(ctx, { ...input, profile: input.profile ?? owner.profileId, session: input.session ?? ownerSession(owner) });
    return { type: 'cart', id: cart.id, money: undefined };
  },
});

/**
 * cart.added / cart.removed: the products go into (or out of) the cart given, or a new cart
 * of the event's profile and session. The event's money is that of the items moved.
 */
export const cartItems = (cart: { readonly id: number } | { readonly create: CartInput } | undefined, items: readonly LineItemInput[]): TrackableSpec => ({
  kind: 'resolve',
  type: 'cart',
  changesCartItems: true,
  withoutItems: cart === undefined ? undefined : 'id' in cart ? { kind: 'id', type: 'cart', id: cart.id } : newCart(cart.create),
  resolve: async (ctx, owner) => {
    if (cart && 'id' in cart) {
      const row = await findCart(ctx.tenant, cart.id);
      // A browser names only its own session's carts: others are not there for it.
      if (owner.fromBrowser && row?.session_id !== owner.sessionId) throw notFound('Cart', 'cart');
      // Items move only in the cart of the event's profile (or a cart of no one yet).
      if (row && row.profile_id !== null && owner.profileId !== null && row.profile_id !== owner.profileId) {
        throw new DomainError('invalid', 'This cart belongs to another profile: its items move only with events of that profile.', 'cart');
      }
    }
    const cartId =
      cart && 'id' in cart
        ? cart.id
        : (await createCart(ctx, { ...(cart?.create ?? {}), profile: cart?.create.profile ?? owner.profileId, session: cart?.create.session ?? ownerSession(owner) })).id;
    const change = owner.action === 'cart.removed' ? await removeCartItems(ctx, cartId, items, 'products') : await addCartItems(ctx, cartId, items, 'products');
    const moved = change.lines.map((line) => ({ name: line.name, sku: line.sku, quantity: line.quantity }));
    return { type: 'cart', id: cartId, money: await linesTotal(ctx, change.lines, 'products'), moved };
  },
});
