import { nested, type MoneyInput } from '../../core/commerce/catalog.model.js';
import type { CartInput } from '../../core/commerce/carts.service.js';
import type { LineItemInput } from '../../core/commerce/line-items.js';
import type { OrderInput, OrderItemChange } from '../../core/commerce/orders.service.js';
import type { ProductInput, ProductRef, VariantInput } from '../../core/commerce/products.service.js';
import type { RefundInput } from '../../core/commerce/refunds.service.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { SessionRef } from '../../core/tracking/sessions.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { arrayField, bodyOf, isRecord, recordField, textField, type Body } from './body-fields.js';

/**
 * Maps the catalog's parameters onto the core's inputs. Event tracking reads its
 * `product_parameters`, `product_variant_parameters`, `order_parameters`, `cart_parameters`
 * and `refund_parameters` hashes, and cart `products`, with the same functions, passing the
 * hash's name as `prefix`. Nested parameters are named as a form writes them
 * (`order_parameters[items][0][price][amount]`).
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
function idField(body: Body, key: 'profile' | 'order', ids: PublicIds, what: string, prefix: string): number | null | undefined {
  const value = text(body, key, prefix);
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const id = ids.decode(key, value.trim());
  if (id === undefined) throw notFound(what, nested(prefix, key));
  return id;
}

function sessionField(body: Body, ids: PublicIds, prefix: string): SessionRef | null | undefined {
  const value = text(body, 'session', prefix);
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

// Items of orders and carts.

/** What product and variant parameters may hold (a variant's `source` is ignored, as on its routes). */
const PRODUCT_KEYS = ['name', 'brand', 'categories', 'collection', 'tags', 'metadata', 'price', 'amount', 'currency', 'reference', 'sku', 'image_url', 'source', 'variants', 'new_variants'];
const VARIANT_KEYS = ['name', 'price', 'amount', 'currency', 'reference', 'sku', 'image_url', 'metadata', 'source'];
/** The keys that make a hash without `product` a bare product-parameters hash. */
const DESCRIBING_KEYS = ['name', 'reference', 'sku'];

const ITEM_FORMS = 'an item is {product, price, quantity}, {product_parameters, price, quantity}, {product_variant_parameters, product, price, quantity} or product parameters';

/** Refuses keys a hash of an item list does not read, so that nothing given is silently misread. */
function onlyKeys(hash: Body, known: readonly string[], where: string, what: string): void {
  const unknown = Object.keys(hash).filter((key) => !known.includes(key));
  const [first] = unknown;
  if (first !== undefined) throw invalid(nested(where, first), `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${what}.`);
}

/** A hash parameter of an item (`product_parameters`, …), its keys checked when `strict`. */
function itemHash(entry: Body, key: string, where: string, known: readonly string[], strict: boolean): Body {
  const hash = at(recordField, entry, key, where) ?? {};
  if (strict) onlyKeys(hash, known, nested(where, key), `expected ${known.join(', ')}`);
  return hash;
}

/** The identifier of an item's product or variant. */
function productText(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
  throw invalid(parameter, 'Expected the id, reference or sku of a product or variant.');
}

/**
 * One item, in any of its forms: `{product, price, quantity}` (`product` an identifier or
 * product parameters), `{product_parameters, price, quantity}`, `{product_variant_parameters,
 * product, price, quantity}` (a variant of that product), or a bare product-parameters hash
 * (whose price is the line's). In item lists (`strict`) other keys are refused.
 */
function lineItemOf(entry: Body, ids: PublicIds, where: string, strict: boolean): LineItemInput {
  const only = (known: readonly string[]) => strict && onlyKeys(entry, known, where, ITEM_FORMS);
  const common = { quantity: quantity(entry, where), parameter: where };
  const price = () => money(entry, 'price', where, false) ?? undefined;
  if (entry.product_parameters !== undefined) {
    only(['product_parameters', 'price', 'quantity']);
    const name = nested(where, 'product_parameters');
    return { ...common, price: price(), product: { create: productInputFrom(itemHash(entry, 'product_parameters', where, PRODUCT_KEYS, strict), ids, name) } };
  }
  if (entry.product_variant_parameters !== undefined) {
    only(['product_variant_parameters', 'product', 'price', 'quantity']);
    const name = nested(where, 'product_variant_parameters');
    const variant = variantInputFrom(itemHash(entry, 'product_variant_parameters', where, VARIANT_KEYS, strict), ids, name);
    const parent = productText(entry.product, nested(where, 'product'));
    if (parent === undefined) throw new DomainError('missing', 'The product of the variant is required.', nested(where, 'product'));
    return { ...common, price: price(), product: { variant, of: productRefOf(parent, ids) } };
  }
  const product = entry.product;
  if (product === undefined && DESCRIBING_KEYS.some((key) => entry[key] !== undefined)) {
    // A bare product-parameters hash (cart `products` of an event): its price is the line's,
    // also when the product already exists.
    only([...PRODUCT_KEYS, 'quantity']);
    const create = productInputFrom(entry, ids, where);
    return { ...common, price: create.price ?? undefined, product: { create } };
  }
  only(['product', 'price', 'quantity']);
  if (isRecord(product)) {
    const name = nested(where, 'product');
    return { ...common, price: price(), product: { create: productInputFrom(itemHash(entry, 'product', where, PRODUCT_KEYS, strict), ids, name) } };
  }
  const ref = productText(product, nested(where, 'product'));
  return { ...common, price: price(), product: ref === undefined ? undefined : { ref: productRefOf(ref, ids) } };
}

/**
 * Items of an order or cart (`parameter`: where they were given, such as
 * `order_parameters[items]`). Each is an identifier of a product or variant or a hash in one
 * of the forms `lineItemOf` reads; a product or variant described by parameters is the
 * existing one with its reference or sku, else a new one.
 */
export function lineItemsFrom(value: unknown, ids: PublicIds, parameter: string): LineItemInput[] | undefined {
  return withoutBlanks(at(arrayField, { [parameter]: value }, parameter, ''))?.map((entry, index) => {
    const where = `${parameter}[${index}]`;
    if (typeof entry === 'string' || typeof entry === 'number') return { product: { ref: productRefOf(String(entry).trim(), ids) }, parameter: where };
    if (isRecord(entry)) return lineItemOf(entry, ids, where, true);
    throw invalid(where, 'Expected a product identifier or a hash of item parameters.');
  });
}

/** The body of `POST /orders/:order/items` (`prefix`: where the hash was given). */
export function orderItemInputFrom(body: unknown, ids: PublicIds, prefix = ''): LineItemInput {
  return lineItemOf(bodyOf(body), ids, prefix, false);
}

/** The body of `PATCH /orders/:order/items/:id`. */
export function orderItemChangeFrom(body: unknown, prefix = ''): OrderItemChange {
  const fields = bodyOf(body);
  return { price: money(fields, 'price', prefix, false) ?? undefined, quantity: quantity(fields, prefix), parameter: prefix };
}

const TOP_LEVEL_ITEM_KEYS = ['product', 'name', 'sku', 'price', 'quantity'];

/**
 * The one item an order create may give at the top level, as the reference's example does
 * (`product`, `name`, `sku`, and `price`, `quantity`): `product` names the product; `name`
 * and `sku` describe it when `product` names none or is not given (the product with that
 * sku, else a new one).
 */
function topLevelItem(fields: Body, ids: PublicIds, prefix: string): LineItemInput | undefined {
  if (!TOP_LEVEL_ITEM_KEYS.some((key) => fields[key] !== undefined)) return undefined;
  const given: Body = {};
  for (const key of ['product', 'price', 'quantity']) if (fields[key] !== undefined) given[key] = fields[key];
  const item = lineItemOf(given, ids, prefix, false);
  const name = text(fields, 'name', prefix);
  const sku = text(fields, 'sku', prefix);
  if (name === undefined && sku === undefined) return item;
  const described: ProductInput = { name, sku, price: item.price, parameter: prefix };
  if (item.product === undefined) return { ...item, product: { create: described } };
  if ('ref' in item.product) return { ...item, product: { ref: item.product.ref, fallback: described } };
  throw new DomainError('ambiguous', 'Give product parameters in product, or name and sku, not both.', nested(prefix, 'name'));
}

/** An order create (`prefix`: where the hash was given, such as `order_parameters`). */
export function orderInputFrom(body: unknown, ids: PublicIds, prefix = ''): OrderInput {
  const fields = bodyOf(body);
  return {
    delivery: text(fields, 'delivery', prefix),
    items: lineItemsFrom(fields.items, ids, nested(prefix, 'items')),
    item: topLevelItem(fields, ids, prefix),
    metadata: metadata(fields, prefix),
    reference: text(fields, 'reference', prefix),
    source: text(fields, 'source', prefix),
    profile: idField(fields, 'profile', ids, 'Profile', prefix),
    session: sessionField(fields, ids, prefix),
    parameter: prefix,
  };
}

/**
 * An order update. The reference's example sends `name` and `sku`, which no order holds:
 * they are ignored; `items`, `product`, `price` and `quantity` are refused by the core.
 */
export function orderChangesFrom(body: unknown, ids: PublicIds, prefix = ''): OrderInput {
  const fields = Object.fromEntries(Object.entries(bodyOf(body)).filter(([key]) => key !== 'name' && key !== 'sku'));
  return orderInputFrom(fields, ids, prefix);
}

export function cartInputFrom(body: unknown, ids: PublicIds, prefix = ''): CartInput {
  const fields = bodyOf(body);
  return {
    items: lineItemsFrom(fields.items, ids, nested(prefix, 'items')),
    newItems: lineItemsFrom(fields.new_items, ids, nested(prefix, 'new_items')),
    metadata: metadata(fields, prefix),
    reference: text(fields, 'reference', prefix),
    source: text(fields, 'source', prefix),
    profile: idField(fields, 'profile', ids, 'Profile', prefix),
    session: sessionField(fields, ids, prefix),
    parameter: prefix,
  };
}

export function refundInputFrom(body: unknown, ids: PublicIds, prefix = ''): RefundInput {
  const fields = bodyOf(body);
  const product = text(fields, 'product', prefix);
  return {
    metadata: metadata(fields, prefix),
    order: idField(fields, 'order', ids, 'Order', prefix),
    product: product === undefined ? undefined : product === null || product.trim() === '' ? null : productRefOf(product.trim(), ids),
    profile: idField(fields, 'profile', ids, 'Profile', prefix),
    reference: text(fields, 'reference', prefix),
    source: text(fields, 'source', prefix),
    total: money(fields, 'total', prefix, true),
    parameter: prefix,
  };
}
