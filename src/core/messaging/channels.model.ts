/**
 * A channel as the core sees it: one technology, one origin (number, account, address), the
 * provider that carries it with its settings, and a send rate. Settings stay JSON text in the
 * row and are read here; secrets never leave the core except to a provider.
 */
import type { Selectable } from 'kysely';
import { Type, type TSchema } from 'typebox';
import { isProviderName, providerDefinition, withoutSecrets, type ProviderName } from '../../channels/providers.js';
import type { ChannelsTable, Technology } from '../../store/tables.js';

export type { Technology } from '../../store/tables.js';
export type ChannelRow = Selectable<ChannelsTable>;

export const TECHNOLOGIES = ['sms', 'whatsapp', 'instagram', 'mercadolibre', 'email'] as const satisfies readonly Technology[];

/** The engine's own provider (src/channels/dev-inbox.provider.ts) beside the registry's. */
export type ChannelProvider = ProviderName | 'dev-inbox';
export const CHANNEL_PROVIDERS: readonly ChannelProvider[] = ['dev-inbox', 'smtp', 'smpp', 'http-sms', 'whatsapp-cloud'];

/** Messages per second a channel gets when none is given, and the bounds of any rate. */
export const DEFAULT_RATE = 20;
export const MAX_RATE = 10_000;
/** Below one message an hour a rate is a typo, and slots would reach years ahead. */
export const MIN_RATE = 1 / 3600;

/**
 * What a new business starts with (and what the messaging migration gave every business that
 * existed before it): dev-inbox channels for SMS and email, so sending works offline at once.
 */
export const DEFAULT_DEV_INBOX_CHANNELS: ReadonlyArray<{ readonly technology: Technology; readonly origin: string }> = [
  { technology: 'sms', origin: 'DevInbox' },
  { technology: 'email', origin: 'no-reply@dev-inbox.invalid' },
];
export const DEFAULT_DEV_INBOX_RATE = 100;

export interface Channel {
  readonly id: number;
  readonly technology: Technology;
  readonly origin: string;
  readonly provider: ChannelProvider;
  /** Without secrets: safe to show. */
  readonly settings: unknown;
  readonly rate: number;
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const isTechnology = (value: unknown): value is Technology => TECHNOLOGIES.some((technology) => technology === value);
export const isChannelProvider = (value: string): value is ChannelProvider => value === 'dev-inbox' || isProviderName(value);

/** dev-inbox takes no settings: it only records. */
export const DevInboxSettings = Type.Object({}, { additionalProperties: false });

export function settingsSchema(provider: ChannelProvider): TSchema {
  return provider === 'dev-inbox' ? DevInboxSettings : providerDefinition(provider).settingsSchema;
}

/** Which technologies a provider carries: dev-inbox all of them, the others their own. */
export function providerTechnologies(provider: ChannelProvider): readonly Technology[] {
  return provider === 'dev-inbox' ? TECHNOLOGIES : providerDefinition(provider).technologies;
}

/** The provider of a stored row; a name the registry no longer knows is a bug, not input. */
export function providerOf(row: Pick<ChannelRow, 'id' | 'provider'>): ChannelProvider {
  if (!isChannelProvider(row.provider)) throw new Error(`channel ${row.id} has unknown provider ${row.provider}`);
  return row.provider;
}

/** The stored settings, secrets included: for providers only. */
export function storedSettings(row: Pick<ChannelRow, 'id' | 'settings'>): unknown {
  try {
    return JSON.parse(row.settings) as unknown;
  } catch (error) {
    throw new Error(`channel ${row.id} has unreadable settings`, { cause: error });
  }
}

function shownSettings(provider: ChannelProvider, settings: unknown): unknown {
  return provider === 'dev-inbox' ? settings : withoutSecrets(providerDefinition(provider).settingsSchema, settings);
}

export function toChannel(row: ChannelRow): Channel {
  const provider = providerOf(row);
  return {
    id: row.id,
    technology: row.technology,
    origin: row.origin,
    provider,
    settings: shownSettings(provider, storedSettings(row)),
    rate: row.rate,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Which technologies are tried, and in which order, when a message names none (the reference's order). */
export const AUTOMATIC_PRIORITY: readonly Technology[] = ['whatsapp', 'instagram', 'sms'];
/** Every technology in preference order, for channels chosen by origin. */
export const ORIGIN_PRIORITY: readonly Technology[] = ['whatsapp', 'instagram', 'sms', 'mercadolibre', 'email'];
