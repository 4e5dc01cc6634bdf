import { nested, type MoneyInput } from '../../core/commerce/catalog.model.js';
import type { CartInput } from '../../core/commerce/carts.service.js';
import type { LineItemInput } from '../../core/commerce/line-items.js';
import type { OrderInput, OrderItemChange } from '../../core/commerce/orders.service.js';
import type { ProductInput, ProductRef, VariantInput } from '../../core/commerce/products.service.js';
import type { RefundInput } from '../../core/commerce/refunds.service.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { SessionRef } from '../../core/tracking/sessions.service.js';
import type { PublicIds } from '../http/public-ids.js';
import { arrayField, bodyOf, isRecord, recordField, textField, type Body } from './body-fields.js';

/**
 * Maps the catalog's parameters onto the core's inputs. Event tracking reads its
 * `product_parameters`, `product_variant_parameters`, `order_parameters`, `cart_parameters`
 * and `refund_parameters` hashes, and cart `products`, with the same functions. Nested
 * parameters are named as a form writes them (`items[0][price][amount]`).
 */

/** Reads `key` of `body` with a body-fields reader, naming it `prefix[key]` in refusals. */
function at<T>(read: (body: Body, key: string) => T, body: Body, key: string, prefix: string): T {
  const name = nested(prefix, key);
  return read({ [name]: body[key] }, name);
}

const text = (body: Body, key: string, prefix = '') => at(textField, body, key, prefix);

/** `metadata`: a JSON null clears it, like the empty form value (`metadata=`) does. */
const metadata = (body: Body, prefix = '') => (body.metadata === null ? {} : at(recordField, body, 'metadata', prefix));

/** An array of strings (categories, collection, tags). */
function strings(body: Body, key: string, prefix = ''): string[] | undefined {
  const name = nested(prefix, key);
  return at(arrayField, body, key, prefix)?.map((item) => {
    if (typeof item === 'string' || typeof item === 'number') return String(item);
    throw invalid(name, 'Expected an array of strings.');
  });
}

function quantity(body: Body, prefix: string): string | number | undefined {
  const value = body.quantity;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw invalid(nested(prefix, 'quantity'), 'Expected a number.');
}

/**
 * A price or total: the hash `key` ({amount, currency}, or a bare amount), else with
 * `topLevel` the body's own `amount` and `currency` as the spec's examples send them.
 * A JSON null or an empty form value (`price=`) removes it.
 */
function money(body: Body, key: string, prefix: string, topLevel: boolean): MoneyInput | null | undefined {
  const value = body[key];
  const name = nested(prefix, key);
  const flat = topLevel && (body.amount !== undefined || body.currency !== undefined);
  if (value !== undefined && flat) throw new DomainError('ambiguous', `Give ${name} or amount and currency, not both.`, name);
  if (value === null || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number') return { amount: value, parameters: { amount: name, currency: nested(name, 'currency') } };
  if (value !== undefined) {
    const hash = at(recordField, body, key, prefix) ?? {};
    return { amount: hash.amount, currency: hash.currency, parameters: { amount: nested(name, 'amount'), currency: nested(name, 'currency') } };
  }
  if (!flat) return undefined;
  return { amount: body.amount, currency: body.currency, parameters: { amount: nested(prefix, 'amount'), currency: nested(prefix, 'currency') } };
}

/** A product or variant named by id, reference or sku. */
export const productRefOf = (text: string, ids: PublicIds): ProductRef => ({ productId: ids.decode('product', text), variantId: ids.decode('product_variant', text), text });

/** An id parameter naming another object: null or empty removes it, anything not ours is 404. */
function idField(body: Body, key: 'profile' | 'order', ids: PublicIds, what: string): number | null | undefined {
  const value = text(body, key);
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const id = ids.decode(key, value.trim());
  if (id === undefined) throw notFound(what, key);
  return id;
}

function sessionField(body: Body, ids: PublicIds): SessionRef | null | undefined {
  const value = text(body, 'session');
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return { id: ids.decode('session', value.trim()), token: value.trim() };
}

/** A form's empty array (`items[]=`) arrives as one empty string. */
const withoutBlanks = (values: unknown[] | undefined): unknown[] | undefined => values?.filter((value) => !(typeof value === 'string' && value.trim() === ''));

function hashes(body: Body, key: string, prefix: string): Array<[Body, string]> | undefined {
  const name = nested(prefix, key);
  return withoutBlanks(at(arrayField, body, key, prefix))?.map((entry, index) => {
    const where = `${name}[${index}]`;
    if (!isRecord(entry)) throw invalid(where, 'Expected a hash of parameters.');
    return [entry, where];
  });
}

/** A variant's parameters (`prefix`: where the hash was given); `ids` for symmetry with the other readers. */
export function variantInputFrom(body: unknown, _ids: PublicIds, prefix = ''): VariantInput {
  const fields = bodyOf(body);
  return {
    name: text(fields, 'name', prefix),
    price: money(fields, 'price', prefix, true),
    reference: text(fields, 'reference', prefix),
    sku: text(fields, 'sku', prefix),
    imageUrl: text(fields, 'image_url', prefix),
    metadata: metadata(fields, prefix),
    parameter: prefix,
  };
}

/** `variants` or `new_variants` of a product; in an update's `variants` an entry's `id` keeps that variant. */
function variantsOf(body: Body, key: string, ids: PublicIds, prefix: string): VariantInput[] | undefined {
  return hashes(body, key, prefix)?.map(([entry, where]) => {
    const id = text(entry, 'id', where);
    const variantId = id ? ids.decode('product_variant', id.trim()) : undefined;
    if (id && variantId === undefined) throw notFound('Variant', nested(where, 'id'));
    return { ...variantInputFrom(entry, ids, where), id: variantId };
  });
}

export function productInputFrom(body: unknown, ids: PublicIds, prefix = ''): ProductInput {
  const fields = bodyOf(body);
  return {
    name: text(fields, 'name', prefix),
    brand: text(fields, 'brand', prefix),
    categories: strings(fields, 'categories', prefix),
    collection: strings(fields, 'collection', prefix),
    tags: strings(fields, 'tags', prefix),
    metadata: metadata(fields, prefix),
    price: money(fields, 'price', prefix, true),
    reference: text(fields, 'reference', prefix),
    sku: text(fields, 'sku', prefix),
    imageUrl: text(fields, 'image_url', prefix),
    source: text(fields, 'source', prefix),
    variants: variantsOf(fields, 'variants', ids, prefix),
    newVariants: variantsOf(fields, 'new_variants', ids, prefix),
    parameter: prefix,
  };
}

/** One item: `{product, price, quantity}`, where `product` is an identifier or product parameters. */
function lineItemOf(entry: Body, ids: PublicIds, where: string): LineItemInput {
  const product = entry.product;
  const common = { quantity: quantity(entry, where), parameter: where };
  if (product === undefined && ['name', 'reference', 'sku'].some((key) => key in entry)) {
    // A bare product-parameters hash (cart `products` of an event): its price is the line's,
    // also when the product already exists.
    const create = productInputFrom(entry, ids, where);
    return { ...common, price: create.price ?? undefined, product: { create } };
  }
  const price = money(entry, 'price', where, false) ?? undefined;
  if (product === undefined || product === null || product === '') return { ...common, price };
  if (isRecord(product)) return { ...common, price, product: { create: productInputFrom(product, ids, nested(where, 'product')) } };
  if (typeof product === 'string' || typeof product === 'number') return { ...common, price, product: { ref: productRefOf(String(product).trim(), ids) } };
  throw invalid(nested(where, 'product'), 'Expected the id, reference or sku of a product or variant.');
}

/**
 * Items of an order or cart (`parameter`: where they were given). Each is an identifier of
 * a product or variant, a hash `{product, price, quantity}` (its `product` an identifier or
 * product parameters), or a product-parameters hash; a product described by parameters is
 * the existing one with its reference or sku, else a new one.
 */
export function lineItemsFrom(value: unknown, ids: PublicIds, parameter: string): LineItemInput[] | undefined {
  return withoutBlanks(at(arrayField, { [parameter]: value }, parameter, ''))?.map((entry, index) => {
    const where = `${parameter}[${index}]`;
    if (typeof entry === 'string' || typeof entry === 'number') return { product: { ref: productRefOf(String(entry).trim(), ids) }, parameter: where };
    if (isRecord(entry)) return lineItemOf(entry, ids, where);
    throw invalid(where, 'Expected a product identifier or a hash of item parameters.');
  });
}

/** The body of `POST /orders/:order/items`. */
export function orderItemInputFrom(body: unknown, ids: PublicIds): LineItemInput {
  return { ...lineItemOf(bodyOf(body), ids, ''), parameter: '' };
}

/** The body of `PATCH /orders/:order/items/:id`. */
export function orderItemChangeFrom(body: unknown): OrderItemChange {
  const fields = bodyOf(body);
  return { price: money(fields, 'price', '', false) ?? undefined, quantity: quantity(fields, '') };
}

export function orderInputFrom(body: unknown, ids: PublicIds): OrderInput {
  const fields = bodyOf(body);
  return {
    delivery: text(fields, 'delivery'),
    items: lineItemsFrom(fields.items, ids, 'items'),
    metadata: metadata(fields),
    reference: text(fields, 'reference'),
    source: text(fields, 'source'),
    profile: idField(fields, 'profile', ids, 'Profile'),
    session: sessionField(fields, ids),
  };
}

export function cartInputFrom(body: unknown, ids: PublicIds): CartInput {
  const fields = bodyOf(body);
  return {
    items: lineItemsFrom(fields.items, ids, 'items'),
    newItems: lineItemsFrom(fields.new_items, ids, 'new_items'),
    metadata: metadata(fields),
    reference: text(fields, 'reference'),
    source: text(fields, 'source'),
    profile: idField(fields, 'profile', ids, 'Profile'),
    session: sessionField(fields, ids),
  };
}

export function refundInputFrom(body: unknown, ids: PublicIds): RefundInput {
  const fields = bodyOf(body);
  const product = text(fields, 'product');
  return {
    metadata: metadata(fields),
    order: idField(fields, 'order', ids, 'Order'),
    product: product === undefined ? undefined : product === null || product.trim() === '' ? null : productRefOf(product.trim(), ids),
    profile: idField(fields, 'profile', ids, 'Profile'),
    reference: text(fields, 'reference'),
    source: text(fields, 'source'),
    total: money(fields, 'total', '', true),
  };
}
