import type { Updateable } from 'kysely';
import type { RefundableType, RefundsTable } from '../../store/tables.js';
import { findProfile } from '../audience/profiles.repository.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, notFound } from '../shared/errors.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { checkedText, nested, pricing, readMoney, storedMoney, type MoneyInput, type PriceView, type Pricing } from './catalog.model.js';
import type { Money } from './money.js';
import { findOrder, ordersByIds } from './orders.repository.js';
import { productsByIds } from './products.repository.js';
import { resolveProductRef, type ProductRef } from './products.service.js';
import { deleteRefundRow, findRefund, insertRefund, pageOfRefunds, updateRefundRow, type RefundRow } from './refunds.repository.js';
import { defaultVariant, variantsOfProducts } from './variants.repository.js';

/**
 * Refunds: of an order, of a product, or of nothing named. The total defaults to the
 * order's total or the product's (or variant's) price; the profile to the order's.
 */
export interface Refundable {
  readonly type: RefundableType;
  readonly id: number;
  /** The order's total or the product's price, when it has one. */
  readonly amount: Money | null;
  readonly createdAt: number;
  readonly metadata: Record<string, unknown>;
}

export interface Refund {
  readonly id: number;
  readonly profileId: number | null;
  readonly reference: string | null;
  readonly source: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
  readonly total: PriceView | null;
  readonly refundable: Refundable | null;
}

export interface RefundInput {
  readonly metadata?: Record<string, unknown> | undefined;
  /** An order id; null removes the refundable. */
  readonly order?: number | null | undefined;
  /** A product or variant (the refundable is its product); null removes the refundable. */
  readonly product?: ProductRef | null | undefined;
  readonly profile?: number | null | undefined;
  readonly reference?: string | null | undefined;
  readonly source?: string | null | undefined;
  /** null removes the total. */
  readonly total?: MoneyInput | null | undefined;
  /** Where the hash was given (`refund_parameters`); empty at the top level. */
  readonly parameter?: string | undefined;
}

/** What the refundable brings: its kind and id, the default total and the default profile. */
interface Target {
  readonly type: RefundableType;
  readonly id: number;
  readonly amount: Money | null;
  readonly profileId: number | null;
}

/** The refundable an input names; undefined when it names none, null when it removes it. */
async function targetOf(ctx: TenantContext, input: RefundInput): Promise<Target | null | undefined> {
  const prefix = input.parameter ?? '';
  const order = input.order ?? undefined;
  const product = input.product ?? undefined;
  if (order !== undefined && product !== undefined) throw new DomainError('ambiguous', 'Give the order or the product refunded, not both.', nested(prefix, 'order'));
  if (order !== undefined) {
    const row = await findOrder(ctx.tenant, order);
    if (!row) throw notFound('Order', nested(prefix, 'order'));
    return { type: 'order', id: row.id, amount: { e4: row.total_e4, currency: row.currency }, profileId: row.profile_id };
  }
  if (product !== undefined) {
    const { product: row, variant } = await resolveProductRef(ctx, product, nested(prefix, 'product'));
    const main = variant.is_default === 1 ? variant : await defaultVariant(ctx.tenant, row.id);
    const amount = storedMoney(variant.price_e4, variant.currency) ?? (main ? storedMoney(main.price_e4, main.currency) : null);
    return { type: 'product', id: row.id, amount, profileId: null };
  }
  return input.order === null || input.product === null ? null : undefined;
}

async function checkedProfile(ctx: TenantContext, input: RefundInput): Promise<number | null | undefined> {
  const profile = input.profile;
  if (profile !== undefined && profile !== null && !(await findProfile(ctx.tenant, profile))) throw notFound('Profile', nested(input.parameter ?? '', 'profile'));
  return profile;
}

function refundColumns(input: RefundInput) {
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

/** The total as given (an amount alone is in the refundable's currency), else undefined. */
const givenTotal = (input: RefundInput, target: Target | null | undefined): Money | null | undefined =>
  input.total === null ? null : readMoney(input.total, target?.amount?.currency);

async function loadRefunds(ctx: TenantContext, rows: readonly RefundRow[], prices: Pricing): Promise<Refund[]> {
  const idsOf = (type: RefundableType) => rows.flatMap((row) => (row.refundable_type === type && row.refundable_id !== null ? [row.refundable_id] : []));
  const orders = await ordersByIds(ctx.tenant, idsOf('order'));
  const products = await productsByIds(ctx.tenant, idsOf('product'));
  const mains = (
    await variantsOfProducts(
      ctx.tenant,
      products.map((product) => product.id),
    )
  ).filter((variant) => variant.is_default === 1);
  const refundable = (row: RefundRow): Refundable | null => {
    if (row.refundable_type === 'order') {
      const order = orders.find((candidate) => candidate.id === row.refundable_id);
      if (order) return { type: 'order', id: order.id, amount: { e4: order.total_e4, currency: order.currency }, createdAt: order.created_at, metadata: parseMetadata(order.metadata) };
    }
    if (row.refundable_type === 'product') {
      const product = products.find((candidate) => candidate.id === row.refundable_id);
      const main = mains.find((variant) => variant.product_id === row.refundable_id);
      const amount = main ? storedMoney(main.price_e4, main.currency) : null;
      if (product) return { type: 'product', id: product.id, amount, createdAt: product.created_at, metadata: parseMetadata(product.metadata) };
    }
    return null;
  };
  return rows.map((row) => {
    const total = storedMoney(row.total_e4, row.currency);
    return {
      id: row.id,
      profileId: row.profile_id,
      reference: row.reference,
      source: row.source,
      metadata: parseMetadata(row.metadata),
      createdAt: row.created_at,
      total: total ? prices.view(total) : null,
      refundable: refundable(row),
    };
  });
}

async function loadRefund(ctx: TenantContext, id: number, prices: Pricing): Promise<Refund> {
  const row = await findRefund(ctx.tenant, id);
  if (!row) throw notFound('Refund');
  const [refund] = await loadRefunds(ctx, [row], prices);
  if (!refund) throw new Error('a loaded refund vanished');
  return refund;
}

export async function createRefund(ctx: TenantContext, input: RefundInput): Promise<Refund> {
  const prices = await pricing(ctx);
  const columns = refundColumns(input);
  return inTransaction(ctx, async (trx) => {
    const target = await targetOf(trx, input);
    const total = givenTotal(input, target) ?? target?.amount ?? null;
    const profile = (await checkedProfile(trx, input)) ?? target?.profileId ?? null;
    const now = epochSeconds(ctx.clock);
    const row = await insertRefund(trx.tenant, {
      metadata: '{}',
      ...columns,
      profile_id: profile,
      refundable_type: target?.type ?? null,
      refundable_id: target?.id ?? null,
      total_e4: total?.e4 ?? null,
      currency: total?.currency ?? null,
      created_at: now,
      updated_at: now,
    });
    return loadRefund(trx, row.id, prices);
  });
}

export async function getRefund(ctx: TenantContext, id: number): Promise<Refund> {
  return loadRefund(ctx, id, await pricing(ctx));
}

/**
 * Changes what is given. A new refundable without a total brings its total, as on create;
 * `order: null` or `product: null` leaves the refund without one (its total stays).
 */
export async function updateRefund(ctx: TenantContext, id: number, input: RefundInput): Promise<Refund> {
  const prices = await pricing(ctx);
  const columns = refundColumns(input);
  return inTransaction(ctx, async (trx) => {
    const row = await findRefund(trx.tenant, id);
    if (!row) throw notFound('Refund');
    const target = await targetOf(trx, input);
    const currentCurrency = row.currency ?? undefined;
    const total = input.total === undefined ? target?.amount : readMoney(input.total ?? undefined, target?.amount?.currency ?? currentCurrency);
    const profile = await checkedProfile(trx, input);
    const changes: Updateable<RefundsTable> = {
      ...columns,
      ...(profile === undefined ? {} : { profile_id: profile }),
      ...(target === undefined ? {} : { refundable_type: target?.type ?? null, refundable_id: target?.id ?? null }),
      ...(input.total === null ? { total_e4: null, currency: null } : total ? { total_e4: total.e4, currency: total.currency } : {}),
      updated_at: epochSeconds(ctx.clock),
    };
    await updateRefundRow(trx.tenant, id, changes);
    return loadRefund(trx, id, prices);
  });
}

export async function deleteRefund(ctx: TenantContext, id: number): Promise<Refund> {
  const prices = await pricing(ctx);
  return inTransaction(ctx, async (trx) => {
    const refund = await loadRefund(trx, id, prices);
    await deleteRefundRow(trx.tenant, id);
    return refund;
  });
}

export async function listRefunds(ctx: TenantContext, bounds: KeyBounds): Promise<Refund[]> {
  return loadRefunds(ctx, await pageOfRefunds(ctx.tenant, bounds), await pricing(ctx));
}
