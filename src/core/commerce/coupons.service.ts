import { parseUrl } from '../audience/property-values.contact.js';
import type { KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound, refusingDuplicates } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { MAX_URL } from './apps.service.js';
import { deleteCouponRow, findCoupon, findCouponByCode, insertCoupon, pageOfCoupons, updateCouponRow, type CouponRow, type CouponValues } from './coupons.repository.js';

/** A coupon imported from the business's shop, to send in campaigns and measure redemptions. */
export interface Coupon {
  readonly id: number;
  readonly code: string;
  readonly description: string;
  readonly destinationUrl: string;
  readonly reference: string | null;
  readonly createdAt: number;
}

/** Parameters as given: `undefined` is "not given", `null` an explicit null. */
export interface CouponInput {
  readonly code?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly destinationUrl?: string | null | undefined;
  readonly reference?: string | null | undefined;
}

const MAX_CODE = 200;
const MAX_REFERENCE = 200;
/** A coupon's description is a message tag: a sentence, not a document. */
const MAX_DESCRIPTION = 1000;

export const toCoupon = (row: CouponRow): Coupon => ({
  id: row.id,
  code: row.code,
  description: row.description,
  destinationUrl: row.destination_url,
  reference: row.reference,
  createdAt: row.created_at,
});

/**
 * A required text, trimmed. On create it must be given; on update (partial) `undefined`
 * keeps the stored value, and an explicit empty value or null is refused either way.
 */
function requiredText(value: string | null | undefined, parameter: string, max: number, creating: boolean): string | undefined {
  if (creating && (value === undefined || value === null)) throw missing(parameter);
  if (value === undefined) return undefined;
  const trimmed = (value ?? '').trim();
  if (trimmed === '') throw new DomainError('empty', 'This parameter cannot be empty.', parameter);
  if (trimmed.length > max) throw invalid(parameter, `At most ${max} characters.`);
  return trimmed;
}

function checkedUrl(value: string | null | undefined, creating: boolean): string | undefined {
  const text = requiredText(value, 'destination_url', Number.MAX_SAFE_INTEGER, creating);
  if (text === undefined) return undefined;
  const url = parseUrl(text, 'destination_url');
  if (url.length > MAX_URL) throw invalid('destination_url', `A URL has at most ${MAX_URL} characters.`);
  return url;
}

/** Optional; null or empty clears it. */
function checkedReference(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  const trimmed = (value ?? '').trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_REFERENCE) throw invalid('reference', `A reference has at most ${MAX_REFERENCE} characters.`);
  return trimmed;
}

const duplicate = (code: string) => `A coupon with the code "${code}" already exists.`;

async function assertCodeFree(ctx: TenantContext, code: string, exceptId?: number): Promise<void> {
  const holder = await findCouponByCode(ctx.tenant, code);
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', duplicate(code), 'code');
}

/** The coupon with this id, or `not_found` about `parameter`. */
export async function resolveCoupon(ctx: TenantContext, id: number, parameter = 'id'): Promise<CouponRow> {
  const row = await findCoupon(ctx.tenant, id);
  if (!row) throw notFound('Coupon', parameter);
  return row;
}

/** Creates a coupon; usable inside the caller's transaction (event tracking's `coupon_parameters`). */
export async function createCoupon(ctx: TenantContext, input: CouponInput): Promise<Coupon> {
  const values: CouponValues = {
    code: requiredText(input.code, 'code', MAX_CODE, true) ?? '',
    description: requiredText(input.description, 'description', MAX_DESCRIPTION, true) ?? '',
    destination_url: checkedUrl(input.destinationUrl, true) ?? '',
    reference: checkedReference(input.reference) ?? null,
  };
  return inTransaction(ctx, async (trx) => {
    await assertCodeFree(trx, values.code);
    const insert = () => insertCoupon(trx.tenant, values, epochSeconds(ctx.clock));
    return toCoupon(await refusingDuplicates(ctx.caps, 'code', duplicate(values.code), insert));
  });
}

export async function getCoupon(ctx: TenantContext, id: number): Promise<Coupon> {
  return toCoupon(await resolveCoupon(ctx, id));
}

/** A partial update: what is not given is kept (see docs/tracking-objects.md). */
export async function updateCoupon(ctx: TenantContext, id: number, input: CouponInput): Promise<Coupon> {
  const code = requiredText(input.code, 'code', MAX_CODE, false);
  const description = requiredText(input.description, 'description', MAX_DESCRIPTION, false);
  const destinationUrl = checkedUrl(input.destinationUrl, false);
  const reference = checkedReference(input.reference);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveCoupon(trx, id);
    if (code !== undefined) await assertCodeFree(trx, code, row.id);
    const changes = { code, description, destination_url: destinationUrl, reference, updated_at: epochSeconds(ctx.clock) };
    const update = () => updateCouponRow(trx.tenant, row.id, changes);
    return toCoupon(await refusingDuplicates(ctx.caps, 'code', duplicate(code ?? row.code), update));
  });
}

export async function deleteCoupon(ctx: TenantContext, id: number): Promise<Coupon> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveCoupon(trx, id);
    await deleteCouponRow(trx.tenant, row.id);
    return toCoupon(row);
  });
}

export async function listCoupons(ctx: TenantContext, bounds: KeyBounds): Promise<Coupon[]> {
  return (await pageOfCoupons(ctx.tenant, bounds)).map(toCoupon);
}
