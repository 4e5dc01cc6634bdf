import { keepSecrets, parseSettings } from '../../channels/providers.js';
import { Value } from 'typebox/value';
import { businessCountry } from '../business/business-country.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { checkedOrigin } from './channels.addresses.js';
import {
  CHANNEL_PROVIDERS,
  DEFAULT_DEV_INBOX_CHANNELS,
  DEFAULT_DEV_INBOX_RATE,
  DEFAULT_RATE,
  DevInboxSettings,
  isChannelProvider,
  isTechnology,
  MAX_RATE,
  MIN_RATE,
  providerOf,
  providerTechnologies,
  settingsSchema,
  storedSettings,
  TECHNOLOGIES,
  toChannel,
  type Channel,
  type ChannelProvider,
  type ChannelRow,
  type Technology,
} from './channels.model.js';
import { channelsWithOrigin, deleteChannelRow, findChannel, insertChannel, pageOfChannels, updateChannelRow } from './channels.repository.js';
import { forgetChannelProvider } from './messages.providers.js';
import { reviewForWhatsapp } from './templates.review.js';

/** Parameters as given (`undefined`: not given); the surface has already read their types. */
export interface ChannelInput {
  readonly technology?: string | undefined;
  readonly origin?: string | undefined;
  readonly provider?: string | undefined;
  readonly settings?: unknown;
  readonly rate?: number | undefined;
  readonly active?: boolean | undefined;
}

/** A business has a handful of channels; a bound keeps a script from making thousands. */
export const MAX_CHANNELS = 50;

function checkedTechnology(value: string | undefined): Technology | undefined {
  if (value === undefined) return undefined;
  if (!isTechnology(value)) throw invalid('technology', `The technology is one of ${TECHNOLOGIES.join(', ')}.`);
  return value;
}

function checkedProvider(value: string | undefined): ChannelProvider | undefined {
  if (value === undefined) return undefined;
  if (!isChannelProvider(value)) throw invalid('provider', `The provider is one of ${CHANNEL_PROVIDERS.join(', ')}.`);
  return value;
}

function checkedRate(rate: number | undefined): number | undefined {
  if (rate === undefined) return undefined;
  if (!Number.isFinite(rate) || rate < MIN_RATE || rate > MAX_RATE) throw invalid('rate', `The rate is messages per second, from one an hour (${MIN_RATE.toFixed(6)}) to ${MAX_RATE}.`);
  return rate;
}

function compatible(provider: ChannelProvider, technology: Technology): void {
  if (!providerTechnologies(provider).includes(technology)) {
    throw invalid('provider', `${provider} cannot carry ${technology} messages; it carries ${providerTechnologies(provider).join(', ')}.`);
  }
}

/** Settings checked by the provider's own schema, defaults filled; the errors name paths only. */
function checkedSettings(provider: ChannelProvider, raw: unknown): string {
  // Form bodies carry every value as text ("587", "true"): read them as the schema's types.
  const given = Value.Convert(settingsSchema(provider), Value.Clone(raw ?? {}));
  if (provider === 'dev-inbox') {
    if (!Value.Check(DevInboxSettings, given)) throw invalid('settings', 'dev-inbox takes no settings.');
    return '{}';
  }
  const result = parseSettings(provider, given);
  if (!result.ok) throw invalid('settings', `Invalid ${provider} settings: ${result.errors.join('; ')}.`);
  return JSON.stringify(result.settings);
}

async function assertOriginFree(ctx: TenantContext, technology: Technology, origin: string, exceptId?: number): Promise<void> {
  const holders = (await channelsWithOrigin(ctx.tenant, technology, origin)).filter((row) => row.id !== exceptId);
  // Inbound messages and receipts find their channel by technology and origin.
  if (holders.length > 0) throw new DomainError('not_unique', `A ${technology} channel with origin ${origin} already exists.`, 'origin');
}

export async function resolveChannel(ctx: TenantContext, id: number): Promise<ChannelRow> {
  const row = await findChannel(ctx.tenant, id);
  if (!row) throw notFound('Channel');
  return row;
}

export async function createChannel(ctx: TenantContext, input: ChannelInput): Promise<Channel> {
  const technology = checkedTechnology(input.technology);
  if (technology === undefined) throw missing('technology');
  const provider = checkedProvider(input.provider);
  if (provider === undefined) throw missing('provider');
  compatible(provider, technology);
  const origin = checkedOrigin(technology, input.origin, await businessCountry(ctx));
  const settings = checkedSettings(provider, input.settings);
  const rate = checkedRate(input.rate) ?? DEFAULT_RATE;
  const now = epochSeconds(ctx.clock);
  return inTransaction(ctx, async (trx) => {
    const count = await trx.tenant.selectFrom('channels').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_CHANNELS) throw new DomainError('not_allowed', `A business has at most ${MAX_CHANNELS} channels.`, 'technology');
    await assertOriginFree(trx, technology, origin);
    const row = await insertChannel(trx.tenant, { technology, origin, provider, settings, rate, active: input.active === false ? 0 : 1, created_at: now, updated_at: now });
    if (row.technology === 'whatsapp' && row.active === 1) await reviewForWhatsapp(trx);
    return toChannel(row);
  });
}

export async function getChannel(ctx: TenantContext, id: number): Promise<Channel> {
  return toChannel(await resolveChannel(ctx, id));
}

export async function listChannels(ctx: TenantContext, bounds: KeyBounds, technology?: string): Promise<Channel[]> {
  return (await pageOfChannels(ctx.tenant, bounds, checkedTechnology(technology))).map(toChannel);
}

/**
 * Changes what is given. Secrets an update leaves out are kept (clients never read them back);
 * a new provider needs its whole settings, since the old ones belong to another schema.
 */
export async function updateChannel(ctx: TenantContext, id: number, input: ChannelInput): Promise<Channel> {
  const country = await businessCountry(ctx);
  const updated = await inTransaction(ctx, async (trx) => {
    const row = await resolveChannel(trx, id);
    const before = providerOf(row);
    const technology = checkedTechnology(input.technology) ?? row.technology;
    const provider = checkedProvider(input.provider) ?? before;
    compatible(provider, technology);
    const origin = input.origin === undefined && technology === row.technology ? row.origin : checkedOrigin(technology, input.origin ?? row.origin, country);
    if (provider !== before && input.settings === undefined) throw new DomainError('missing', `Give the ${provider} settings with the new provider.`, 'settings');
    let settings = row.settings;
    if (input.settings !== undefined) {
      const incoming = provider === before ? keepSecrets(settingsSchema(provider), storedSettings(row), input.settings) : input.settings;
      settings = checkedSettings(provider, incoming);
    }
    if (technology !== row.technology || origin !== row.origin) await assertOriginFree(trx, technology, origin, row.id);
    const changes = {
      technology,
      origin,
      provider,
      settings,
      rate: checkedRate(input.rate) ?? row.rate,
      active: input.active === undefined ? row.active : input.active ? (1 as const) : (0 as const),
      updated_at: Math.max(epochSeconds(ctx.clock), row.updated_at),
    };
    const updated = await updateChannelRow(trx.tenant, row.id, changes);
    // WhatsApp arrived, or its provider or account changed: templates WhatsApp has not taken go to its review.
    const reconfigured = updated.technology !== row.technology || updated.provider !== row.provider || updated.settings !== row.settings || updated.active !== row.active;
    if (updated.technology === 'whatsapp' && updated.active === 1 && reconfigured) await reviewForWhatsapp(trx);
    return updated;
  });
  forgetChannelProvider(ctx, updated.id);
  return toChannel(updated);
}

/** Messages already sent keep their origin and technology; pending ones fail at send time. */
export async function deleteChannel(ctx: TenantContext, id: number): Promise<Channel> {
  const deleted = await inTransaction(ctx, async (trx) => {
    const row = await resolveChannel(trx, id);
    await deleteChannelRow(trx.tenant, row.id);
    return toChannel(row);
  });
  forgetChannelProvider(ctx, deleted.id);
  return deleted;
}

/** A new business's channels: dev-inbox for SMS and email. Runs in the caller's transaction. */
export async function createDefaultChannels(ctx: TenantContext): Promise<void> {
  const now = epochSeconds(ctx.clock);
  for (const { technology, origin } of DEFAULT_DEV_INBOX_CHANNELS) {
    await insertChannel(ctx.tenant, { technology, origin, provider: 'dev-inbox', settings: '{}', rate: DEFAULT_DEV_INBOX_RATE, active: 1, created_at: now, updated_at: now });
  }
}
