import { randomBytes, randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound } from '../shared/errors.js';
import { countBusinesses, findBusinessById, insertBusiness, listBusinessRows, type BusinessRow } from './businesses.repository.js';
import { isCountryCode, isCurrencyCode, isTimeZone } from './locale.js';
import { createApiKey, type CreatedApiKey } from './api-keys.service.js';
import { createDefaultProperties } from '../audience/properties.service.js';
import { createDefaultChannels } from '../messaging/channels.service.js';
import { forBusiness } from '../shared/tenant.js';

export interface Business {
  readonly id: number;
  readonly uuid: string;
  /** Non-secret id carried by browser tracking scripts; it can only write tracking data. */
  readonly publicId: string;
  readonly name: string;
  readonly email: string | null;
  readonly country: string;
  readonly currency: string;
  readonly timezone: string;
  readonly createdAt: number;
}

export interface CreateBusinessInput {
  readonly name: string;
  readonly email?: string | undefined;
  readonly country?: string | undefined;
  readonly currency?: string | undefined;
  readonly timezone?: string | undefined;
}

const PUBLIC_ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newPublicId(): string {
  // 16 symbols of a 57-letter alphabet: ~93 bits, not guessable, easy to read aloud.
  const bytes = randomBytes(16);
  return Array.from(bytes, (byte) => PUBLIC_ID_ALPHABET[byte % PUBLIC_ID_ALPHABET.length]).join('');
}

export function toBusiness(row: BusinessRow): Business {
  return {
    id: row.id,
    uuid: row.uuid,
    publicId: row.public_id,
    name: row.name,
    email: row.email,
    country: row.country,
    currency: row.currency,
    timezone: row.timezone,
    createdAt: row.created_at,
  };
}

function validated(ctx: CoreContext, input: CreateBusinessInput) {
  const name = input.name.trim();
  if (name === '') throw new DomainError('empty', 'A business needs a name.', 'name');
  if (name.length > 200) throw invalid('name', 'A business name has at most 200 characters.');
  const email = input.email?.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid('email', `"${email}" is not an email address.`);
  const country = (input.country ?? ctx.config.DEFAULT_COUNTRY).trim().toUpperCase();
  if (!isCountryCode(country)) throw invalid('country', `"${input.country}" is not an ISO 3166-1 alpha-2 country code.`);
  const currency = (input.currency ?? ctx.config.DEFAULT_CURRENCY).trim().toUpperCase();
  if (!isCurrencyCode(currency)) throw invalid('currency', `"${input.currency}" is not an ISO 4217 currency code.`);
  const timezone = (input.timezone ?? ctx.config.DEFAULT_TIMEZONE).trim();
  if (!isTimeZone(timezone)) throw invalid('timezone', `"${input.timezone}" is not an IANA time zone.`);
  return { name, email, country, currency, timezone };
}

/** A business with its default properties and its first API key, in one transaction. */
export async function createBusiness(ctx: CoreContext, input: CreateBusinessInput): Promise<{ business: Business; key: CreatedApiKey }> {
  if (input.name === undefined) throw missing('name');
  const fields = validated(ctx, input);
  const now = epochSeconds(ctx.clock);
  const create = async (db: CoreContext['db']) => {
    const row = await insertBusiness(db, { ...fields, uuid: randomUUID(), public_id: newPublicId(), created_at: now, updated_at: now });
    const inTransaction = { ...ctx, db };
    await createDefaultProperties(forBusiness(inTransaction, row.id));
    await createDefaultChannels(forBusiness(inTransaction, row.id));
    const key = await createApiKey(inTransaction, { businessId: row.id, name: 'default' });
    return { business: toBusiness(row), key };
  };
  return ctx.db.isTransaction ? create(ctx.db) : ctx.db.transaction().execute(create);
}

export async function getBusiness(ctx: CoreContext, id: number): Promise<Business> {
  const row = await findBusinessById(ctx.db, id);
  if (!row) throw notFound('Business');
  return toBusiness(row);
}

export async function listBusinesses(ctx: CoreContext): Promise<Business[]> {
  return (await listBusinessRows(ctx.db)).map(toBusiness);
}

/**
 * First start of an empty installation: creates the default business and its first key.
 * Returns undefined when the installation was bootstrapped before. A marker row claimed in
 * the same transaction keeps two processes starting at once from both creating one.
 */
export async function ensureDefaultBusiness(ctx: CoreContext): Promise<{ business: Business; key: CreatedApiKey } | undefined> {
  if ((await countBusinesses(ctx.db)) > 0) return undefined;
  return ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('install_settings')
      .values({ key: 'bootstrapped_at', value: String(epochSeconds(ctx.clock)) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return undefined;
    return createBusiness({ ...ctx, db: trx }, { name: ctx.config.DEFAULT_BUSINESS_NAME });
  });
}
