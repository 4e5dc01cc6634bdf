/**
 * The worker's providers, one per channel, created on first use and kept: SMTP pools its
 * connections, SMPP holds a bind. A channel whose provider, origin or settings change gets a
 * new one (the old one is closed), checked on every use against the row the send job just
 * read, so a change made by another process takes effect at that channel's next send.
 *
 * SMPP is also how receipts and customers' messages arrive, so while a worker runs it keeps a
 * bind open for every active smpp channel of every business, whether or not anything is being
 * sent: `startChannelProviders` looks for them at start and every CHANNEL_SYNC_MS.
 */
import type { Kysely } from 'kysely';
import { createProvider } from '../../channels/providers.js';
import { devInboxProvider } from '../../channels/dev-inbox.provider.js';
import type { Provider, ProviderDeps } from '../../channels/provider.js';
import { createAddressPolicy } from '../../net/address-policy.js';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { providerOf, storedSettings, type ChannelRow } from './channels.model.js';
import { activeChannelsOfProvider } from './channels.repository.js';
import { recordDevInboxCopy } from './dev-inbox.service.js';
import { applyReceipt, receiveInbound } from './messages.receipts.js';

/** How often a worker looks for smpp channels added, changed or removed elsewhere. */
export const CHANNEL_SYNC_MS = 15_000;

interface Entry {
  readonly fingerprint: string;
  readonly provider: Provider;
}

const fingerprintOf = (row: ChannelRow): string => JSON.stringify([row.provider, row.technology, row.origin, row.settings]);

export class ChannelProviders {
  readonly #entries = new Map<number, Entry>();
  readonly #closing = new Set<Promise<void>>();
  readonly #deps: ProviderDeps;
  #timer: NodeJS.Timeout | undefined;
  #syncing: Promise<void> | undefined;
  #closed = false;

  constructor(private readonly ctx: CoreContext) {
    this.#deps = {
      logger: ctx.logger,
      outbound: ctx.outbound,
      addressPolicy: createAddressPolicy({ allowPrivateUrls: ctx.config.ALLOW_PRIVATE_URLS }),
      clock: ctx.clock,
    };
  }

  /** The channel's provider as the row describes it now. Throws InvalidSettingsError on settings that fail their schema. */
  providerFor(row: ChannelRow): Provider {
    const fingerprint = fingerprintOf(row);
    const entry = this.#entries.get(row.id);
    if (entry && entry.fingerprint === fingerprint) return entry.provider;
    if (entry) this.forget(row.id);
    const provider = this.#create(row);
    // A closed registry (shutdown) still answers, but keeps nothing that would outlive it.
    if (!this.#closed) this.#entries.set(row.id, { fingerprint, provider });
    return provider;
  }

  #create(row: ChannelRow): Provider {
    const name = providerOf(row);
    const { ctx } = this;
    if (name === 'dev-inbox') return devInboxProvider((record) => recordDevInboxCopy(ctx, row.business_id, record), () => ctx.clock.now());
    const events = {
      receipt: (receipt: Parameters<typeof applyReceipt>[2]) => applyReceipt(ctx, row.id, receipt, { waitForRecord: true }).then(() => undefined),
      inbound: (message: Parameters<typeof receiveInbound>[2]) => receiveInbound(ctx, row.id, message).then(() => undefined),
    };
    return createProvider(name, storedSettings(row), events, { ...this.#deps, logger: ctx.logger.child({ channel: row.id }) });
  }

  /** Closes the channel's provider (channel changed or deleted); its sends in flight finish first. */
  forget(channelId: number): void {
    const entry = this.#entries.get(channelId);
    if (!entry) return;
    this.#entries.delete(channelId);
    const closing = entry.provider.close().catch((error: unknown) => this.ctx.logger.warn({ err: error, channel: channelId }, 'closing a provider failed'));
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }

  /** Opens a provider for every active smpp channel and closes those of channels gone or inactive. */
  async sync(): Promise<void> {
    this.#syncing ??= (async () => {
      try {
        const rows = await activeChannelsOfProvider(this.ctx.db, 'smpp');
        const wanted = new Set(rows.map((row) => row.id));
        for (const [id] of this.#entries) if (!wanted.has(id) && (await this.#isSmppOrGone(id))) this.forget(id);
        for (const row of rows) {
          try {
            this.providerFor(row);
          } catch (error) {
            this.ctx.logger.error({ err: error, channel: row.id }, 'cannot open the smpp channel');
          }
        }
      } catch (error) {
        this.ctx.logger.error({ err: error }, 'could not look up smpp channels');
      } finally {
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  /** Other providers are kept until their channel changes; only smpp binds follow the active set. */
  async #isSmppOrGone(id: number): Promise<boolean> {
    const row = await this.ctx.db.selectFrom('channels').select(['provider', 'active']).where('id', '=', id).executeTakeFirst();
    return row === undefined || row.provider === 'smpp' || row.active === 0;
  }

  start(intervalMs = CHANNEL_SYNC_MS): void {
    if (this.#timer || this.#closed) return;
    void this.sync();
    this.#timer = setInterval(() => void this.sync(), intervalMs);
    this.#timer.unref();
  }

  /** Stops syncing and closes every provider (sends in flight finish or time out). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#syncing;
    for (const id of [...this.#entries.keys()]) this.forget(id);
    await Promise.all([...this.#closing]);
  }
}

/** One registry per database handle: the worker, the hooks and channel changes of one process share it. */
const registries = new WeakMap<Kysely<Database>, ChannelProviders>();

export function channelProviders(ctx: CoreContext): ChannelProviders {
  let registry = registries.get(ctx.db);
  if (!registry) {
    registry = new ChannelProviders(ctx);
    registries.set(ctx.db, registry);
  }
  return registry;
}

/** Closes this process's provider of a channel that changed (other processes notice at their next use). */
export function forgetChannelProvider(ctx: CoreContext, channelId: number): void {
  registries.get(ctx.db)?.forget(channelId);
}

/** For the worker: keep smpp binds open until `close`. */
export function startChannelProviders(ctx: CoreContext): { close(): Promise<void> } {
  const registry = channelProviders(ctx);
  registry.start();
  return {
    close: async () => {
      await registry.close();
      registries.delete(ctx.db);
    },
  };
}
