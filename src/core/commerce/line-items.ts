import { DomainError, invalid } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import { nested, readMoney, storedMoney, type MoneyInput, type PriceView, type Pricing } from './catalog.model.js';
import { checkedE4, times, type Money } from './money.js';
import { findOrCreateProduct, findProductLike, resolveProductRef, type ProductInput, type ProductRef, type ProductRow, type VariantInput, type VariantRow } from './products.service.js';
import { defaultVariant } from './variants.repository.js';
import { findOrCreateVariant, findVariantLike } from './variants.service.js';

/**
 * Lines of orders and carts: a product (or one of its variants), a unit price and a
 * quantity. Both read their items through here, so the rules are one: the product is named
 * by id, reference or sku (or described by product parameters), the price defaults to the
 * variant's (else the product's), the quantity to 1.
 */

/**
 * The product of a line: a reference to an existing one (with `fallback`, parameters
 * describing it when the reference names none), parameters describing it, or a variant of
 * an existing product described by variant parameters.
 */
export type LineProduct =
  | { readonly ref: ProductRef; readonly fallback?: ProductInput | undefined }
  | { readonly create: ProductInput }
  | { readonly variant: VariantInput; readonly of: ProductRef };

export interface LineItemInput {
  readonly product?: LineProduct | undefined;
  readonly price?: MoneyInput | undefined;
  /** A number greater than 0, as given (forms send strings). */
  readonly quantity?: string | number | undefined;
  /** Where the item was given (`items[0]`); empty for a top-level item. */
  readonly parameter?: string | undefined;
}

/** A line ready to store. */
export interface ResolvedLine {
  readonly productId: number;
  /** A variant other than the product's default one; null for the product itself. */
  readonly variantId: number | null;
  /** The variant's (else the product's) name and sku, kept by order lines. */
  readonly name: string;
  readonly sku: string | null;
  readonly price: Money;
  readonly quantity: number;
}

export interface LineItem {
  readonly id: number;
  /** null once the product was deleted (order lines only). */
  readonly productId: number | null;
  readonly variantId: number | null;
  readonly price: PriceView;
  readonly quantity: number;
  readonly createdAt: number;
}

/** What the item tables have in common. */
export interface LineItemRow {
  readonly id: number;
  readonly product_id: number | null;
  readonly variant_id: number | null;
  readonly price_e4: number;
  readonly currency: string;
  readonly quantity: number;
  readonly created_at: number;
}

export const toLineItem = (row: LineItemRow, prices: Pricing): LineItem => ({
  id: row.id,
  productId: row.product_id,
  variantId: row.variant_id,
  price: prices.view({ e4: row.price_e4, currency: row.currency }),
  quantity: row.quantity,
  createdAt: row.created_at,
});

const MAX_QUANTITY = 1_000_000_000;

/** A quantity greater than 0 (fractions allowed: 0.5 kg); undefined when not given. */
export function checkedQuantity(value: string | number | undefined, parameter: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  const quantity = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text) || !Number.isFinite(quantity) || quantity <= 0) {
    throw invalid(parameter, 'Expected a quantity greater than 0, such as 1 or 0.5.');
  }
  if (quantity > MAX_QUANTITY) throw invalid(parameter, `A quantity is at most ${MAX_QUANTITY}.`);
  return quantity;
}

/** The price × quantity of a line, refused on its quantity past the safe integer range. */
export const lineTotal = (price: Money, quantity: number, prefix: string): number => checkedE4(times(price.e4, quantity), nested(prefix, 'quantity'));

type Named = { product: ProductRow; variant: VariantRow };

/** The product a reference names; undefined (rather than 404) when `orNothing`. */
async function referenced(ctx: TenantContext, ref: ProductRef, parameter: string, orNothing: boolean): Promise<Named | undefined> {
  try {
    return await resolveProductRef(ctx, ref, parameter);
  } catch (error) {
    if (orNothing && error instanceof DomainError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * The product and variant a line names. Product (or variant) parameters name an existing
 * one by reference or sku, else make one; with `lookupOnly` (removals) they make nothing
 * and may name nothing.
 */
export async function lineProduct(ctx: TenantContext, input: LineItemInput, options: { lookupOnly: boolean } = { lookupOnly: false }): Promise<Named | undefined> {
  const parameter = nested(input.parameter ?? '', 'product');
  const given = input.product;
  if (!given) throw new DomainError('missing', 'This parameter is required.', parameter);
  const described = (create: ProductInput) => {
    const hash = { ...create, parameter: create.parameter ?? parameter };
    return options.lookupOnly ? findProductLike(ctx, hash) : findOrCreateProduct(ctx, hash);
  };
  if ('create' in given) return described(given.create);
  if ('ref' in given) return (await referenced(ctx, given.ref, parameter, given.fallback !== undefined)) ?? (given.fallback ? described(given.fallback) : undefined);
  const { product } = await resolveProductRef(ctx, given.of, parameter);
  const variant = options.lookupOnly ? await findVariantLike(ctx, product.id, given.variant) : await findOrCreateVariant(ctx, product.id, given.variant);
  return variant ? { product, variant } : undefined;
}

/** The price a variant sells at: its own, else its product's. */
async function listPrice(ctx: TenantContext, variant: VariantRow): Promise<Money | null> {
  const own = storedMoney(variant.price_e4, variant.currency);
  if (own || variant.is_default === 1) return own;
  const main = await defaultVariant(ctx.tenant, variant.product_id);
  return main ? storedMoney(main.price_e4, main.currency) : null;
}

/**
 * A line as given: its product, its price (given, else the list price; an amount without a
 * currency is in the product's currency) and its quantity (default 1).
 */
export async function resolveLine(ctx: TenantContext, input: LineItemInput): Promise<ResolvedLine> {
  const prefix = input.parameter ?? '';
  const quantity = checkedQuantity(input.quantity, nested(prefix, 'quantity')) ?? 1;
  const named = await lineProduct(ctx, input);
  if (!named) throw new Error('a line to add named no product');
  const { product, variant } = named;
  const list = await listPrice(ctx, variant);
  const price = readMoney(input.price, list?.currency) ?? list;
  if (!price) throw new DomainError('missing', 'The product has no price: give the price of the item.', nested(prefix, 'price'));
  lineTotal(price, quantity, prefix);
  return { productId: product.id, variantId: variant.is_default === 1 ? null : variant.id, name: variant.name, sku: variant.sku, price, quantity };
}
