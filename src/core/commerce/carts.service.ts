import { epochSeconds } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { checkedEntries, checkedText, nested, pricing, resolveShopper, type Pricing, type ShopperInput } from './catalog.model.js';
import { checkedQuantity, lineProduct, lineTotal, resolveLine, toLineItem, type LineItem, type LineItemInput, type ResolvedLine } from './line-items.js';
import {
  cartItemRows,
  deleteCartItemRows,
  deleteCartRow,
  findCart,
  insertCart,
  insertCartItem,
  pageOfCarts,
  updateCartItemRow,
  updateCartRow,
  type CartItemRow,
  type CartRow,
} from './carts.repository.js';

/**
 * Carts: what a profile (or a session not known as anyone yet) has in its cart now. A cart
 * holds one line per product or variant: adding one already there adds to its quantity and
 * takes the new price; removing lowers the quantity, or drops the line. Being current
 * state, a cart loses the lines of a deleted product or variant.
 */
export interface CartItem extends LineItem {
  readonly productId: number;
  readonly cartId: number;
}

export interface Cart {
  readonly id: number;
  readonly profileId: number | null;
  readonly sessionId: number | null;
  readonly reference: string | null;
  readonly source: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
  readonly items: CartItem[];
}

export interface CartInput extends ShopperInput {
  /** Create: the items. Update: the items replacing all (`[]` empties the cart). */
  readonly items?: readonly LineItemInput[] | undefined;
  /** Items to add. */
  readonly newItems?: readonly LineItemInput[] | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly reference?: string | null | undefined;
  readonly source?: string | null | undefined;
}

/** A cart after an item change, and the lines added or removed (quantities as changed). */
export interface CartChange {
  readonly cart: Cart;
  readonly lines: ResolvedLine[];
}

const toCartItem = (row: CartItemRow, prices: Pricing): CartItem => ({ ...toLineItem(row, prices), productId: row.product_id, cartId: row.cart_id });

function toCart(row: CartRow, items: readonly CartItemRow[], prices: Pricing): Cart {
  return {
    id: row.id,
    profileId: row.profile_id,
    sessionId: row.session_id,
    reference: row.reference,
    source: row.source,
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
    items: items.map((item) => toCartItem(item, prices)),
  };
}

async function loadCarts(ctx: TenantContext, rows: readonly CartRow[], prices: Pricing): Promise<Cart[]> {
  const items = await cartItemRows(
    ctx.tenant,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toCart(
      row,
      items.filter((item) => item.cart_id === row.id),
      prices,
    ),
  );
}

async function loadCart(ctx: TenantContext, id: number, prices: Pricing): Promise<Cart> {
  const row = await findCart(ctx.tenant, id);
  if (!row) throw notFound('Cart');
  const [cart] = await loadCarts(ctx, [row], prices);
  if (!cart) throw new Error('a loaded cart vanished');
  return cart;
}

const sameLine = (row: CartItemRow, line: { productId: number; variantId: number | null }) => row.product_id === line.productId && row.variant_id === line.variantId;

/** Adds lines to a cart, merging with the line of the same product or variant. */
async function addLines(ctx: TenantContext, cartId: number, given: readonly LineItemInput[] | undefined, parameter: string): Promise<ResolvedLine[]> {
  const inputs = checkedEntries(given, parameter);
  const rows = await cartItemRows(ctx.tenant, [cartId]);
  const added: ResolvedLine[] = [];
  const now = epochSeconds(ctx.clock);
  for (const [index, input] of inputs.entries()) {
    const where = input.parameter ?? `${parameter}[${index}]`;
    const line = await resolveLine(ctx, { ...input, parameter: where });
    const position = rows.findIndex((row) => sameLine(row, line));
    const existing = rows[position];
    const changes = { price_e4: line.price.e4, currency: line.price.currency, updated_at: now };
    if (existing) {
      const merged = { ...existing, ...changes, quantity: existing.quantity + line.quantity };
      lineTotal(line.price, merged.quantity, where);
      await updateCartItemRow(ctx.tenant, existing.id, { ...changes, quantity: merged.quantity });
      rows[position] = merged;
    } else {
      rows.push(await insertCartItem(ctx.tenant, { cart_id: cartId, product_id: line.productId, variant_id: line.variantId, ...changes, quantity: line.quantity, created_at: now }));
    }
    added.push(line);
  }
  return added;
}

function cartColumns(input: CartInput) {
  const prefix = input.parameter ?? '';
  const reference = checkedText(input.reference, nested(prefix, 'reference'));
  const source = checkedText(input.source, nested(prefix, 'source'));
  const metadata = metadataText(input.metadata, nested(prefix, 'metadata'));
  return {
    ...(reference === undefined ? {} : { reference }),
    ...(source === undefined ? {} : { source }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** Creates a cart; usable inside an open transaction (event tracking). */
export async function createCart(ctx: TenantContext, input: CartInput): Promise<Cart> {
  const prices = await pricing(ctx);
  const columns = cartColumns(input);
  return inTransaction(ctx, async (trx) => {
    const shopper = await resolveShopper(trx, input, { profileId: null, sessionId: null }, true);
    const now = epochSeconds(ctx.clock);
    const cart = await insertCart(trx.tenant, { metadata: '{}', ...columns, profile_id: shopper.profileId, session_id: shopper.sessionId, created_at: now, updated_at: now });
    const prefix = input.parameter ?? '';
    await addLines(trx, cart.id, input.items, nested(prefix, 'items'));
    await addLines(trx, cart.id, input.newItems, nested(prefix, 'new_items'));
    return loadCart(trx, cart.id, prices);
  });
}

export async function getCart(ctx: TenantContext, id: number): Promise<Cart> {
  return loadCart(ctx, id, await pricing(ctx));
}

async function lockedCart(ctx: TenantContext, id: number, parameter = 'id'): Promise<CartRow> {
  const cart = await findCart(ctx.tenant, id, { lock: ctx.caps.rowLocks });
  if (!cart) throw notFound('Cart', parameter);
  return cart;
}

export async function updateCart(ctx: TenantContext, id: number, input: CartInput): Promise<Cart> {
  const prices = await pricing(ctx);
  const columns = cartColumns(input);
  return inTransaction(ctx, async (trx) => {
    const cart = await lockedCart(trx, id);
    const shopper = await resolveShopper(trx, input, { profileId: cart.profile_id, sessionId: cart.session_id }, true);
    await updateCartRow(trx.tenant, id, { ...columns, profile_id: shopper.profileId, session_id: shopper.sessionId, updated_at: epochSeconds(ctx.clock) });
    const prefix = input.parameter ?? '';
    if (input.items !== undefined) {
      await deleteCartItemRows(
        trx.tenant,
        (await cartItemRows(trx.tenant, [id])).map((row) => row.id),
      );
      await addLines(trx, id, input.items, nested(prefix, 'items'));
    }
    if (input.newItems !== undefined) await addLines(trx, id, input.newItems, nested(prefix, 'new_items'));
    return loadCart(trx, id, prices);
  });
}

export async function deleteCart(ctx: TenantContext, id: number): Promise<Cart> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const cart = await loadCart(trx, id, prices);
    await deleteCartRow(trx.tenant, id);
    return cart;
  });
}

export async function listCarts(ctx: TenantContext, bounds: KeyBounds): Promise<Cart[]> {
  return loadCarts(ctx, await pageOfCarts(ctx.tenant, bounds), await pricing(ctx));
}

/** Adds items (cart.added; `parameter`: where they were given); usable inside an open transaction. */
export async function addCartItems(ctx: TenantContext, cartId: number, items: readonly LineItemInput[], parameter = 'items'): Promise<CartChange> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    await lockedCart(trx, cartId, 'cart');
    const lines = await addLines(trx, cartId, items, parameter);
    await updateCartRow(trx.tenant, cartId, { updated_at: epochSeconds(ctx.clock) });
    return { cart: await loadCart(trx, cartId, prices), lines };
  });
}

/**
 * Removes items (cart.removed): an item with a quantity lowers its line by that much, one
 * without removes the line, and a line reaching 0 goes. A product not in the cart, or
 * described by parameters that name no product, changes nothing. At most 250 items, as
 * for additions. Usable inside an open transaction.
 */
export async function removeCartItems(ctx: TenantContext, cartId: number, items: readonly LineItemInput[], parameter = 'items'): Promise<CartChange> {
  const prices = await pricing(ctx);
  const inputs = checkedEntries(items, parameter);
  return inTransaction(ctx, async (trx) => {
    await lockedCart(trx, cartId, 'cart');
    const rows = await cartItemRows(trx.tenant, [cartId]);
    const removed: ResolvedLine[] = [];
    for (const [index, input] of inputs.entries()) {
      const where = input.parameter ?? `${parameter}[${index}]`;
      const quantity = checkedQuantity(input.quantity, nested(where, 'quantity'));
      const named = await lineProduct(trx, { ...input, parameter: where }, { lookupOnly: true });
      if (!named) continue;
      const line = { productId: named.product.id, variantId: named.variant.is_default === 1 ? null : named.variant.id };
      const position = rows.findIndex((row) => sameLine(row, line));
      const existing = rows[position];
      if (!existing) continue;
      const left = quantity === undefined ? 0 : existing.quantity - quantity;
      if (left > 0) {
        await updateCartItemRow(trx.tenant, existing.id, { quantity: left, updated_at: epochSeconds(ctx.clock) });
        rows[position] = { ...existing, quantity: left };
      } else {
        await deleteCartItemRows(trx.tenant, [existing.id]);
        rows.splice(position, 1);
      }
      removed.push({ ...line, name: named.variant.name, sku: named.variant.sku, price: { e4: existing.price_e4, currency: existing.currency }, quantity: existing.quantity - Math.max(left, 0) });
    }
    await updateCartRow(trx.tenant, cartId, { updated_at: epochSeconds(ctx.clock) });
    return { cart: await loadCart(trx, cartId, prices), lines: removed };
  });
}
