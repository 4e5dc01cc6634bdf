import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import type { TenantContext } from '../shared/tenant.js';
import type { SuppressionChannel } from '../../store/tables.js';
import { deleteSuppression, findSuppression, insertSuppression, pageOfSuppressions, type SuppressionRow } from './suppressions.repository.js';
import { businessCountry } from '../business/business-country.js';
import type { Profile } from './profile.model.js';
import { parsePropertyValue } from './property-values.js';

/** The channels consent is asked about; SMS, WhatsApp and calls all reach a phone number. */
export type ConsentChannel = 'email' | 'sms' | 'whatsapp' | 'instagram' | 'mercadolibre';

export type ConsentVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: 'blocked' | 'unsubscribed' | 'suppressed' | 'cleared' | 'bounced' };

export interface Suppression {
  readonly id: number;
  readonly channel: SuppressionChannel;
  readonly address: string;
  readonly reason: string;
  readonly createdAt: number;
}

/** An address in the form suppressions store it: lower-cased email or E.164 number. */
export async function normaliseAddress(ctx: TenantContext, address: string, parameter = 'address'): Promise<{ channel: SuppressionChannel; address: string }> {
  const trimmed = address.trim();
  if (trimmed === '') throw new DomainError('empty', 'An email address or phone number is required.', parameter);
  if (trimmed.includes('@')) return { channel: 'email', address: parsePropertyValue('email', trimmed, { country: 'US', parameter }).searchText };
  const country = await businessCountry(ctx);
  return { channel: 'phone', address: parsePropertyValue('phone', trimmed, { country, parameter }).searchText };
}

async function isSuppressed(ctx: TenantContext, address: string): Promise<boolean> {
  return (await findSuppression(ctx.tenant, address)) !== undefined;
}

/**
 * The one answer to "may this profile receive a message at this address on this channel":
 * messaging, campaigns and every surface ask here. Promotional messages need a subscribed
 * (or unconfirmed, where the business's law allows it: see docs) profile; transactional and
 * conversational ones bypass subscription, never a block or a suppression.
 */
export async function mayContact(
  ctx: TenantContext,
  profile: Profile,
  target: { channel: ConsentChannel; address: string; purpose: 'promotional' | 'transactional' },
): Promise<ConsentVerdict> {
  if (profile.blocked) return { allowed: false, reason: 'blocked' };
  const normalised = target.channel === 'instagram' || target.channel === 'mercadolibre' ? undefined : await normaliseAddress(ctx, target.address);
  if (normalised && (await isSuppressed(ctx, normalised.address))) return { allowed: false, reason: 'suppressed' };
  if (target.purpose === 'transactional') return { allowed: true };
  if (profile.cleared) return { allowed: false, reason: 'cleared' };
  if (profile.state === 'unsubscribed') return { allowed: false, reason: 'unsubscribed' };
  if (profile.bounced && target.channel === 'email') return { allowed: false, reason: 'bounced' };
  return { allowed: true };
}

const toSuppression = (row: SuppressionRow): Suppression => ({
  id: row.id,
  channel: row.channel,
  address: row.address,
  reason: row.reason,
  createdAt: row.created_at,
});

/** Adds addresses to the suppression list; an address already there keeps its first entry. */
export async function suppress(ctx: TenantContext, address: string, reason = 'manual'): Promise<Suppression> {
  const cleanReason = reason.trim().slice(0, 200) || 'manual';
  const { channel, address: normalised } = await normaliseAddress(ctx, address);
  await insertSuppression(ctx.tenant, { channel, address: normalised, reason: cleanReason, created_at: epochSeconds(ctx.clock) });
  const row = await findSuppression(ctx.tenant, normalised);
  if (!row) throw new Error('suppression vanished after insert');
  return toSuppression(row);
}

export async function unsuppress(ctx: TenantContext, address: string): Promise<Suppression> {
  const { address: normalised } = await normaliseAddress(ctx, address);
  const row = await findSuppression(ctx.tenant, normalised);
  if (!row) throw notFound('Suppression', 'address');
  await deleteSuppression(ctx.tenant, row.id);
  return toSuppression(row);
}

export async function listSuppressions(ctx: TenantContext, bounds: KeyBounds, channel?: string): Promise<Suppression[]> {
  if (channel !== undefined && channel !== 'email' && channel !== 'phone') throw invalid('channel', 'The channel is email or phone.');
  return (await pageOfSuppressions(ctx.tenant, bounds, channel)).map(toSuppression);
}
