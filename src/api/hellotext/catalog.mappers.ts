import type { PriceView } from '../../core/commerce/catalog.model.js';
import type { Cart, CartItem } from '../../core/commerce/carts.service.js';
import type { LineItem } from '../../core/commerce/line-items.js';
import { amountNumber, formatAmount } from '../../core/commerce/money.js';
import type { Order, OrderItem } from '../../core/commerce/orders.service.js';
import type { Product, Variant } from '../../core/commerce/products.service.js';
import type { Refund, Refundable } from '../../core/commerce/refunds.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type {
  CartItemObject,
  CartObject,
  ItemPrice,
  OrderItemAlone,
  OrderItemObject,
  OrderObject,
  OrderTotal,
  ProductObject,
  ProductPrice,
  RefundableObject,
  RefundObject,
  VariantObject,
} from './catalog.schema.js';

/** One function per wire object of the catalog: core objects never reach a client unmapped. */

/** The amount as given; the conversion rounded to its currency's minor unit, like every shown conversion. */
const productPrice = (price: PriceView): ProductPrice => ({
  amount: amountNumber(price.e4),
  converted_amount: price.convertedE4 === null ? null : Number(formatAmount(price.convertedE4, price.convertedCurrency)),
  converted_currency: price.convertedCurrency,
  currency: price.currency,
});

const itemPrice = (price: PriceView): ItemPrice => ({
  amount: formatAmount(price.e4, price.currency),
  converted_amount: price.convertedE4 === null ? null : formatAmount(price.convertedE4, price.convertedCurrency),
  converted_currency: price.convertedCurrency,
  currency: price.currency,
});

const orderTotal = (total: PriceView): OrderTotal => ({
  amount: formatAmount(total.e4, total.currency),
  converted_amount: total.convertedE4 === null ? null : formatAmount(total.convertedE4, total.convertedCurrency),
  converted_amount_currency: total.convertedCurrency,
  currency: total.currency,
});

const encodeOrNull = (ids: PublicIds, kind: 'profile' | 'session', id: number | null): string | null => (id === null ? null : ids.encode(kind, id));

export const variantObject = (variant: Variant, ids: PublicIds): VariantObject => ({
  id: ids.encode('product_variant', variant.id),
  type: 'product_variant',
  created_at: variant.createdAt,
  image_url: variant.imageUrl,
  metadata: variant.metadata,
  name: variant.name,
  price: variant.price ? productPrice(variant.price) : null,
  product: ids.encode('product', variant.productId),
  reference: variant.reference,
  sku: variant.sku,
  source: variant.source,
});

export const productObject = (product: Product, ids: PublicIds): ProductObject => ({
  id: ids.encode('product', product.id),
  type: 'product',
  brand: product.brand,
  categories: product.categories,
  collection: product.collection,
  created_at: product.createdAt,
  image_url: product.imageUrl,
  metadata: product.metadata,
  name: product.name,
  price: product.price ? productPrice(product.price) : null,
  reference: product.reference,
  sku: product.sku,
  source: product.source,
  tags: product.tags,
  variants: product.variants.map((variant) => variantObject(variant, ids)),
});

/** What order and cart items share (the response schema puts the keys in the reference's order). */
const itemFields = (item: LineItem, ids: PublicIds) => ({
  created_at: item.createdAt,
  price: itemPrice(item.price),
  quantity: item.quantity,
  variant: item.variantId === null ? null : ids.encode('product_variant', item.variantId),
});

export const orderItemObject = (item: OrderItem, ids: PublicIds): OrderItemObject => ({
  id: ids.encode('order_item', item.id),
  type: 'order_item',
  ...itemFields(item, ids),
  product: item.productId === null ? null : ids.encode('product', item.productId),
  name: item.name,
  sku: item.sku,
});

/** An item answered by the item routes, which name its order. */
export const orderItemAlone = (item: OrderItem, ids: PublicIds): OrderItemAlone => ({ ...orderItemObject(item, ids), order: ids.encode('order', item.orderId) });

export const cartItemObject = (item: CartItem, ids: PublicIds): CartItemObject => ({
  id: ids.encode('cart_item', item.id),
  type: 'cart_item',
  ...itemFields(item, ids),
  product: ids.encode('product', item.productId),
});

export const orderObject = (order: Order, ids: PublicIds): OrderObject => ({
  id: ids.encode('order', order.id),
  type: 'order',
  created_at: order.createdAt,
  delivery: order.delivery,
  items: order.items.map((item) => orderItemObject(item, ids)),
  metadata: order.metadata,
  reference: order.reference,
  source: order.source,
  total: orderTotal(order.total),
  profile: encodeOrNull(ids, 'profile', order.profileId),
  session: encodeOrNull(ids, 'session', order.sessionId),
});

export const cartObject = (cart: Cart, ids: PublicIds): CartObject => ({
  id: ids.encode('cart', cart.id),
  type: 'cart',
  created_at: cart.createdAt,
  items: cart.items.map((item) => cartItemObject(item, ids)),
  metadata: cart.metadata,
  profile: encodeOrNull(ids, 'profile', cart.profileId),
  reference: cart.reference,
  session: encodeOrNull(ids, 'session', cart.sessionId),
  source: cart.source,
});

const refundableObject = (refundable: Refundable, ids: PublicIds): RefundableObject => ({
  id: ids.encode(refundable.type, refundable.id),
  type: refundable.type,
  amount: refundable.amount ? formatAmount(refundable.amount.e4, refundable.amount.currency) : null,
  created_at: refundable.createdAt,
  currency: refundable.amount?.currency ?? null,
  metadata: refundable.metadata,
});

export const refundObject = (refund: Refund, ids: PublicIds): RefundObject => ({
  id: ids.encode('refund', refund.id),
  type: 'refund',
  created_at: refund.createdAt,
  metadata: refund.metadata,
  profile: encodeOrNull(ids, 'profile', refund.profileId),
  reference: refund.reference,
  refundable: refund.refundable ? refundableObject(refund.refundable, ids) : null,
  source: refund.source,
  total: refund.total ? itemPrice(refund.total) : null,
});
