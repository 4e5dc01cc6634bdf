import { Type, type Static, type TSchema } from 'typebox';

/**
 * Wire shapes of the commerce catalog (products, variants, orders, carts, refunds), as the
 * Hellotext reference documents them, with its inconsistencies kept: product and variant
 * prices are JSON numbers, order, cart and refund amounts are strings in the currency's minor
 * unit; an order's total names its converted currency `converted_amount_currency`.
 */

const Metadata = Type.Record(Type.String(), Type.Unknown(), { description: 'Key-value pairs attached to the object.' });
const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description === undefined ? {} : { description });
const Converted = "In the business's reporting currency at today's rate; null when no rate is known.";

export const ProductPrice = Type.Object(
  {
    amount: Type.Number(),
    converted_amount: Nullable(Type.Number(), Converted),
    converted_currency: Type.String(),
    currency: Type.String(),
  },
  { description: 'null when no price was given.' },
);

export const VariantObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('product_variant'),
  created_at: Type.Integer(),
  image_url: Nullable(Type.String(), "As given (the image is downloaded and kept); the product's when the variant has none."),
  metadata: Metadata,
  name: Type.String(),
  price: Nullable(ProductPrice, "The product's when the variant has none."),
  product: Type.String(),
  reference: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  source: Nullable(Type.String(), "Always the product's."),
});

export const ProductObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('product'),
  brand: Nullable(Type.String()),
  categories: Type.Array(Type.String()),
  collection: Type.Array(Type.String()),
  created_at: Type.Integer(),
  image_url: Nullable(Type.String(), 'As given; the image is downloaded and kept.'),
  metadata: Metadata,
  name: Type.String(),
  price: Nullable(ProductPrice),
  reference: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  source: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  variants: Type.Array(VariantObject),
});

/** Price of an order or cart item, and total of a refund. */
export const ItemPrice = Type.Object({
  amount: Type.String(),
  converted_amount: Nullable(Type.String(), Converted),
  converted_currency: Type.String(),
  currency: Type.String(),
});

/** Fields of order and cart items, in the reference's order. */
const itemFields = <K extends string>(type: K) => ({
  id: Type.String(),
  type: Type.Literal(type),
  created_at: Type.Integer(),
  price: ItemPrice,
  product: Type.String(),
  quantity: Type.Number(),
  variant: Nullable(Type.String(), 'Extension: the variant of the product this item is, if any.'),
});

/** An order item outlives its product: it keeps what it was sold as. */
const orderItemFields = {
  ...itemFields('order_item'),
  product: Nullable(Type.String(), 'null once the product was deleted; the item and the total stay.'),
  name: Type.String({ description: "Extension: the variant's (else the product's) name when the item was added." }),
  sku: Nullable(Type.String(), "Extension: the variant's (else the product's) sku when the item was added."),
};

export const OrderItemObject = Type.Object(orderItemFields);
/** An item answered on its own routes names its order. */
export const OrderItemAlone = Type.Object({ ...orderItemFields, order: Type.String() });

export const OrderTotal = Type.Object({
  amount: Type.String(),
  converted_amount: Nullable(Type.String(), Converted),
  converted_amount_currency: Type.String(),
  currency: Type.String({ description: "The currency of the order's first item (USD while it has none)." }),
});

export const OrderObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('order'),
  created_at: Type.Integer(),
  delivery: Nullable(Type.Union([Type.Literal('collect'), Type.Literal('deliver')])),
  items: Type.Array(OrderItemObject),
  metadata: Metadata,
  reference: Nullable(Type.String()),
  source: Nullable(Type.String()),
  total: OrderTotal,
  profile: Nullable(Type.String(), 'Extension: the profile who placed the order.'),
  session: Nullable(Type.String(), 'Extension: the session the order was placed in.'),
});

export const CartItemObject = Type.Object(itemFields('cart_item'));

export const CartObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('cart'),
  created_at: Type.Integer(),
  items: Type.Array(CartItemObject),
  metadata: Metadata,
  profile: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  session: Nullable(Type.String()),
  source: Nullable(Type.String()),
});

export const RefundableObject = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('order'), Type.Literal('product')]),
  amount: Nullable(Type.String(), "The order's total or the product's price."),
  created_at: Type.Integer(),
  currency: Nullable(Type.String()),
  metadata: Metadata,
});

export const RefundObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('refund'),
  created_at: Type.Integer(),
  metadata: Metadata,
  profile: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  refundable: Nullable(RefundableObject),
  source: Nullable(Type.String()),
  total: Nullable(ItemPrice, 'null when neither given nor taken from the refundable.'),
});

export type ProductPrice = Static<typeof ProductPrice>;
export type VariantObject = Static<typeof VariantObject>;
export type ProductObject = Static<typeof ProductObject>;
export type ItemPrice = Static<typeof ItemPrice>;
export type OrderItemObject = Static<typeof OrderItemObject>;
export type OrderItemAlone = Static<typeof OrderItemAlone>;
export type OrderTotal = Static<typeof OrderTotal>;
export type OrderObject = Static<typeof OrderObject>;
export type CartItemObject = Static<typeof CartItemObject>;
export type CartObject = Static<typeof CartObject>;
export type RefundableObject = Static<typeof RefundableObject>;
export type RefundObject = Static<typeof RefundObject>;

/** `/orders/:order/items/:id`. */
export const OrderItemParams = Type.Object({ order: Type.String(), id: Type.String() });
/** `/products/:product/variants`. */
export const ProductParams = Type.Object({ product: Type.String() });
