import { epochSeconds } from '../shared/clock.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import type { KeyBounds } from '../shared/pagination.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import type { Delivery } from '../../store/tables.js';
import {
  checkedDelivery,
  checkedEntries,
  checkedText,
  nested,
  orderTotal,
  pricing,
  readMoney,
  recomputeOrderTotals,
  resolveShopper,
  type MoneyInput,
  type PriceView,
  type Pricing,
  type ShopperInput,
} from './catalog.model.js';
import { checkedQuantity, lineTotal, resolveLine, toLineItem, type LineItem, type LineItemInput, type ResolvedLine } from './line-items.js';
import { checkedE4, times, type Money } from './money.js';
import {
  deleteOrderItemRow,
  deleteOrderRow,
  findOrder,
  findOrderItem,
  insertOrder,
  insertOrderItem,
  orderItemRows,
  pageOfOrders,
  updateOrderItemRow,
  updateOrderRow,
  type OrderItemRow,
  type OrderRow,
} from './orders.repository.js';
import { clearRefundables } from './refunds.repository.js';

/**
 * Orders and their items. The total is kept equal to the sum of the items (price ×
 * quantity) in the same transaction as every item change. All items share the order's
 * currency: the first item's (USD while there is none); an item priced in another currency
 * is converted at today's rate, and refused when no rate is known. An item outlives its
 * product: it keeps the name, sku and price it was added with.
 */
export interface OrderItem extends LineItem {
  readonly orderId: number;
  readonly name: string;
  readonly sku: string | null;
}

export interface Order {
  readonly id: number;
  readonly profileId: number | null;
  readonly sessionId: number | null;
  readonly delivery: Delivery | null;
  readonly reference: string | null;
  readonly source: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
  readonly total: PriceView;
  readonly items: OrderItem[];
}

export interface OrderInput extends ShopperInput {
  readonly delivery?: string | null | undefined;
  /** Create only. */
  readonly items?: readonly LineItemInput[] | undefined;
  /** Create only, instead of `items`: the one item given at the top level (`product`, …). */
  readonly item?: LineItemInput | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly reference?: string | null | undefined;
  readonly source?: string | null | undefined;
}

/** An item's changes: undefined keeps the price or quantity it has. */
export interface OrderItemChange {
  readonly price?: MoneyInput | undefined;
  readonly quantity?: string | number | undefined;
  /** Where the hash was given; empty at the top level. */
  readonly parameter?: string | undefined;
}

const toOrderItem = (row: OrderItemRow, prices: Pricing): OrderItem => ({ ...toLineItem(row, prices), orderId: row.order_id, name: row.name, sku: row.sku });

function toOrder(row: OrderRow, items: readonly OrderItemRow[], prices: Pricing): Order {
  return {
    id: row.id,
    profileId: row.profile_id,
    sessionId: row.session_id,
    delivery: row.delivery,
    reference: row.reference,
    source: row.source,
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
    total: prices.view({ e4: row.total_e4, currency: row.currency }),
    items: items.map((item) => toOrderItem(item, prices)),
  };
}

async function loadOrders(ctx: TenantContext, rows: readonly OrderRow[], prices: Pricing): Promise<Order[]> {
  const items = await orderItemRows(
    ctx.tenant,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toOrder(
      row,
      items.filter((item) => item.order_id === row.id),
      prices,
    ),
  );
}

async function loadOrder(ctx: TenantContext, id: number, prices: Pricing): Promise<Order> {
  const row = await findOrder(ctx.tenant, id);
  if (!row) throw notFound('Order');
  const [order] = await loadOrders(ctx, [row], prices);
  if (!order) throw new Error('a loaded order vanished');
  return order;
}

/** The line's price in the order's currency (`currency`: that of the order's other items, if any). */
function inOrderCurrency(price: Money, currency: string | undefined, prices: Pricing, parameter: string): Money {
  if (currency === undefined || price.currency === currency) return price;
  const e4 = prices.convert(price, currency);
  if (e4 === null) throw new DomainError('invalid', `The order is in ${currency} and no exchange rate from ${price.currency} is known: give the price in ${currency}.`, parameter);
  return { e4: checkedE4(e4, parameter), currency };
}

async function insertLine(ctx: TenantContext, orderId: number, line: ResolvedLine, price: Money): Promise<OrderItemRow> {
  const now = epochSeconds(ctx.clock);
  return insertOrderItem(ctx.tenant, {
    order_id: orderId,
    product_id: line.productId,
    variant_id: line.variantId,
    name: line.name,
    sku: line.sku,
    price_e4: price.e4,
    currency: price.currency,
    quantity: line.quantity,
    created_at: now,
    updated_at: now,
  });
}

function orderColumns(input: OrderInput) {
  const prefix = input.parameter ?? '';
  const delivery = checkedDelivery(input.delivery, nested(prefix, 'delivery'));
  const reference = checkedText(input.reference, nested(prefix, 'reference'));
  const source = checkedText(input.source, nested(prefix, 'source'));
  const metadata = metadataText(input.metadata, nested(prefix, 'metadata'));
  return {
    ...(delivery === undefined ? {} : { delivery }),
    ...(reference === undefined ? {} : { reference }),
    ...(source === undefined ? {} : { source }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** The items of a new order: `items`, or the one item given at the top level. */
function newItems(input: OrderInput): Array<{ item: LineItemInput; parameter: string }> {
  const prefix = input.parameter ?? '';
  if (input.item && input.items !== undefined) throw new DomainError('ambiguous', 'Give items, or one product at the top level, not both.', nested(prefix, 'product'));
  if (input.item) return [{ item: input.item, parameter: input.item.parameter ?? prefix }];
  return checkedEntries(input.items, nested(prefix, 'items')).map((item, index) => ({ item, parameter: item.parameter ?? `${nested(prefix, 'items')}[${index}]` }));
}

export async function createOrder(ctx: TenantContext, input: OrderInput): Promise<Order> {
  const prices = await pricing(ctx);
  const columns = orderColumns(input);
  const entries = newItems(input);
  return inTransaction(ctx, async (trx) => {
    const shopper = await resolveShopper(trx, input, { profileId: null, sessionId: null }, false);
    const now = epochSeconds(ctx.clock);
    const empty = orderTotal([]);
    const order = await insertOrder(trx.tenant, {
      metadata: '{}',
      ...columns,
      profile_id: shopper.profileId,
      session_id: shopper.sessionId,
      total_e4: empty.e4,
      currency: empty.currency,
      created_at: now,
      updated_at: now,
    });
    let currency: string | undefined;
    let total = 0;
    for (const { item, parameter } of entries) {
      const line = await resolveLine(trx, { ...item, parameter });
      const price = inOrderCurrency(line.price, currency, prices, nested(parameter, 'price'));
      total = checkedE4(total + lineTotal(price, line.quantity, parameter), nested(parameter, 'quantity'));
      currency = price.currency;
      await insertLine(trx, order.id, line, price);
    }
    await recomputeOrderTotals(trx, [order.id]);
    return loadOrder(trx, order.id, prices);
  });
}

export async function getOrder(ctx: TenantContext, id: number): Promise<Order> {
  return loadOrder(ctx, id, await pricing(ctx));
}

/** Delivery, metadata (replaced whole), reference, source, profile and session; items change through their own routes (`items` is refused). */
export async function updateOrder(ctx: TenantContext, id: number, input: OrderInput): Promise<Order> {
  const prices = await pricing(ctx);
  const prefix = input.parameter ?? '';
  const itemsGiven = input.items !== undefined ? 'items' : input.item ? 'product' : undefined;
  if (itemsGiven) throw invalid(nested(prefix, itemsGiven), "An order's items change through /v1/attribution/orders/:order/items.");
  const columns = orderColumns(input);
  return inTransaction(ctx, async (trx) => {
    const order = await findOrder(trx.tenant, id);
    if (!order) throw notFound('Order');
    const shopper = await resolveShopper(trx, input, { profileId: order.profile_id, sessionId: order.session_id }, false);
    await updateOrderRow(trx.tenant, id, { ...columns, profile_id: shopper.profileId, session_id: shopper.sessionId, updated_at: epochSeconds(ctx.clock) });
    return loadOrder(trx, id, prices);
  });
}

/** Deletes the order and its items; its refunds stay, without a refundable. */
export async function deleteOrder(ctx: TenantContext, id: number): Promise<Order> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const order = await loadOrder(trx, id, prices);
    await clearRefundables(trx.tenant, 'order', id, epochSeconds(ctx.clock));
    await deleteOrderRow(trx.tenant, id);
    return order;
  });
}

export async function listOrders(ctx: TenantContext, bounds: KeyBounds): Promise<Order[]> {
  return loadOrders(ctx, await pageOfOrders(ctx.tenant, bounds), await pricing(ctx));
}

/** The order an item route names, locked for the item change; its items, oldest first. */
async function orderForItems(ctx: TenantContext, orderId: number): Promise<{ order: OrderRow; items: OrderItemRow[] }> {
  const order = await findOrder(ctx.tenant, orderId, { lock: ctx.caps.rowLocks });
  if (!order) throw notFound('Order', 'order');
  return { order, items: await orderItemRows(ctx.tenant, [order.id]) };
}

export async function addOrderItem(ctx: TenantContext, orderId: number, input: LineItemInput): Promise<OrderItem> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const { order, items } = await orderForItems(trx, orderId);
    const prefix = input.parameter ?? '';
    const line = await resolveLine(trx, input);
    const price = inOrderCurrency(line.price, items[0]?.currency, prices, nested(prefix, 'price'));
    orderTotal([...items, { price_e4: price.e4, currency: price.currency, quantity: line.quantity }], nested(prefix, 'quantity'));
    const row = await insertLine(trx, order.id, line, price);
    await recomputeOrderTotals(trx, [order.id]);
    return toOrderItem(row, prices);
  });
}

export async function updateOrderItem(ctx: TenantContext, orderId: number, itemId: number, change: OrderItemChange): Promise<OrderItem> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const { order, items } = await orderForItems(trx, orderId);
    const item = items.find((row) => row.id === itemId);
    if (!item) throw notFound('Order item');
    const prefix = change.parameter ?? '';
    const quantity = checkedQuantity(change.quantity, nested(prefix, 'quantity')) ?? item.quantity;
    const given = readMoney(change.price, item.currency);
    const others = items.filter((row) => row.id !== item.id);
    const price = given ? inOrderCurrency(given, others[0]?.currency, prices, nested(prefix, 'price')) : { e4: item.price_e4, currency: item.currency };
    // A sum too large is refused on what changed: the quantity when given, else the price.
    const grew = nested(prefix, change.quantity === undefined ? 'price' : 'quantity');
    checkedE4(times(price.e4, quantity), grew);
    orderTotal([...others, { price_e4: price.e4, currency: price.currency, quantity }], grew);
    await updateOrderItemRow(trx.tenant, item.id, { price_e4: price.e4, currency: price.currency, quantity, updated_at: epochSeconds(ctx.clock) });
    await recomputeOrderTotals(trx, [order.id]);
    const updated = await findOrderItem(trx.tenant, order.id, item.id);
    if (!updated) throw new Error('an updated order item vanished');
    return toOrderItem(updated, prices);
  });
}

export async function deleteOrderItem(ctx: TenantContext, orderId: number, itemId: number): Promise<OrderItem> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const { order, items } = await orderForItems(trx, orderId);
    const item = items.find((row) => row.id === itemId);
    if (!item) throw notFound('Order item');
    await deleteOrderItemRow(trx.tenant, item.id);
    await recomputeOrderTotals(trx, [order.id]);
    return toOrderItem(item, prices);
  });
}
