/**
 * What comes back from providers, whichever way it arrives (a webhook, an SMPP deliver_sm,
 * dev-inbox's simulated inbound): receipts move outbound messages on, customers' messages are
 * stored `received` once per provider id, attached to the profile of their sender (created
 * when unknown), and open or refresh the conversation and, on WhatsApp, the service window.
 */
import type { InboundMessage, Receipt } from '../../channels/provider.js';
import { createProfile } from '../audience/profiles.service.js';
import { searchProfiles } from '../audience/profile-search.js';
import { businessCountry } from '../business/business-country.js';
import type { CoreContext } from '../context.js';
import { epochSeconds } from '../shared/clock.js';
import { forBusiness, inTransaction, type TenantContext } from '../shared/tenant.js';
import { touchInbox } from './conversations.service.js';
import { checkedDestination, digitsOf } from './channels.addresses.js';
import type { ChannelRow, Technology } from './channels.model.js';
import { activeChannels, findChannelAnyBusiness } from './channels.repository.js';
import { emitReceived } from './messages.events.js';
import { contentJson, type MessageContent, type MessageRow } from './messages.model.js';
import { findMessage, findOutboundByProviderId, insertInboundMessage, profileOfSender } from './messages.repository.js';
import { applyReceiptTo } from './messages.states.js';
import { answerKeyword } from './opt-out.service.js';

export type ReceiptResult = 'applied' | 'unchanged' | 'unmatched';

/** How long a receipt waits for its message's provider id to be recorded (a receipt can beat the send job's commit). */
const RECORD_WAIT_MS = 1_000;
const RECORD_POLL_MS = 100;

async function receiptTarget(ctx: TenantContext, channelId: number, receipt: Receipt): Promise<MessageRow | undefined> {
  if (receipt.messageId !== undefined && Number.isSafeInteger(receipt.messageId)) {
    const byId = await findMessage(ctx.tenant, receipt.messageId);
    if (byId && byId.direction === 'outbound' && byId.channel_id === channelId) return byId;
  }
  return findOutboundByProviderId(ctx.tenant, channelId, receipt.providerId);
}

/**
 * Applies a receipt of one of the channel's messages, found by our id when the peer echoes it
 * (WhatsApp), else by the provider id. With `waitForRecord` an unknown id is looked up again
 * for a moment: the peer can report before the send job has recorded the id.
 */
export async function applyReceipt(ctx: CoreContext, channelId: number, receipt: Receipt, options: { waitForRecord?: boolean } = {}): Promise<ReceiptResult> {
  const channel = await findChannelAnyBusiness(ctx.db, channelId);
  if (!channel) return 'unmatched';
  const tenant = forBusiness(ctx, channel.business_id);
  let message = await receiptTarget(tenant, channel.id, receipt);
  for (let waited = 0; !message && options.waitForRecord && waited < RECORD_WAIT_MS; waited += RECORD_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, RECORD_POLL_MS));
    message = await receiptTarget(tenant, channel.id, receipt);
  }
  if (!message) {
    ctx.logger.warn({ channel: channel.id, providerId: receipt.providerId, state: receipt.state }, 'a receipt matches no message of its channel; dropped');
    return 'unmatched';
  }
  return (await applyReceiptTo(tenant, message, receipt)) ? 'applied' : 'unchanged';
}

/** The sender's address in our stored form; `known` false when our parsers refuse it (an SMSC's odd address), kept as given. */
function senderAddress(technology: Technology, from: string, country: string): { address: string; known: boolean } {
  const given = (technology === 'sms' || technology === 'whatsapp') && /^\d{6,15}$/.test(from) ? `+${from}` : from;
  try {
    return { address: checkedDestination(technology, given, country, 'from'), known: true };
  } catch {
    return { address: from.trim(), known: false };
  }
}

function names(profileName: string | undefined): { firstName?: string; lastName?: string } {
  const name = profileName?.trim().slice(0, 200);
  if (!name) return {};
  const space = name.indexOf(' ');
  return space === -1 ? { firstName: name } : { firstName: name.slice(0, space), lastName: name.slice(space + 1).trim() };
}

/** The profile behind a sender: who wrote from there before, else the owner of the phone or email, else a new profile. */
async function senderProfile(ctx: TenantContext, technology: Technology, sender: { address: string; known: boolean }, profileName: string | undefined): Promise<number> {
  const before = await profileOfSender(ctx.tenant, technology, sender.address);
  if (before !== undefined) return before;
  const kinds: Readonly<Record<Technology, 'phone' | 'email' | 'mercadolibre' | undefined>> = { sms: 'phone', whatsapp: 'phone', email: 'email', mercadolibre: 'mercadolibre', instagram: undefined };
  const kind = kinds[technology];
  if (kind === 'phone' || kind === 'email') {
    const [found] = await searchProfiles(ctx, { [kind]: sender.address, order: 'created_at' }, { limit: 1 });
    if (found) return found.id;
  }
  const contacts = kind && sender.known ? [{ kind, target: { by: 'default' as const }, value: sender.address, parameter: 'from' }] : [];
  return (await createProfile(ctx, { ...names(profileName), contacts })).id;
}

/** The business's channel the message was really sent to, when the peer says (one WhatsApp app, several numbers). */
async function addressedChannel(ctx: TenantContext, channel: ChannelRow, to: string): Promise<ChannelRow> {
  const phoneLike = channel.technology === 'sms' || channel.technology === 'whatsapp';
  if (!phoneLike || to === '' || digitsOf(to) === digitsOf(channel.origin)) return channel;
  const other = (await activeChannels(ctx.tenant)).find((candidate) => candidate.provider === channel.provider && candidate.technology === channel.technology && digitsOf(candidate.origin) === digitsOf(to));
  return other ?? channel;
}

export interface ReceivedMessage {
  readonly message: MessageRow;
  /** The peer delivered it before: nothing was stored or answered again. */
  readonly duplicate: boolean;
}

/**
 * Stores a customer's message for the channel, once per provider id, and does what an
 * arrival causes: the inbox moves, `message.received` is emitted, STOP/START are obeyed
 * and answered. Undefined when the channel no longer exists.
 */
export async function receiveInbound(ctx: CoreContext, channelId: number, inbound: InboundMessage): Promise<ReceivedMessage | undefined> {
  const found = await findChannelAnyBusiness(ctx.db, channelId);
  if (!found) return undefined;
  const tenant = forBusiness(ctx, found.business_id);
  const channel = await addressedChannel(tenant, found, inbound.to);
  const sender = senderAddress(channel.technology, inbound.from, await businessCountry(tenant));
  const receivedAt = Math.floor(inbound.at / 1000);
  const content: MessageContent = {
    ...(inbound.media?.length
      ? { media: inbound.media.map((m) => ({ content_type: m.contentType, ...(m.url ? { url: m.url } : {}), ...(m.mediaId ? { media_id: m.mediaId } : {}), ...(m.filename ? { filename: m.filename } : {}) })) }
      : {}),
    ...(inbound.profileName ? { profile_name: inbound.profileName } : {}),
  };
  return inTransaction(tenant, async (trx) => {
    const profileId = await senderProfile(trx, channel.technology, sender, inbound.profileName);
    const now = epochSeconds(ctx.clock);
    const row = await insertInboundMessage(trx.tenant, {
      profile_id: profileId,
      channel_id: channel.id,
      template_id: null,
      campaign_id: null,
      direction: 'inbound',
      technology: channel.technology,
      origin: sender.address,
      destination: channel.origin,
      body: inbound.body,
      subject: null,
      html: null,
      content: contentJson(content),
      state: 'received',
      failure_reason: null,
      provider_id: inbound.providerId,
      transactional: 0,
      created_at: now,
      updated_at: now,
      routed_at: null,
      delivered_at: null,
      failed_at: null,
      received_at: receivedAt,
    });
    if (!row) {
      const existing = await trx.tenant
        .selectFrom('messages')
        .selectAll()
        .where('channel_id', '=', channel.id)
        .where('provider_id', '=', inbound.providerId)
        .where('direction', '=', 'inbound')
        .executeTakeFirstOrThrow();
      return { message: existing, duplicate: true };
    }
    await touchInbox(trx, profileId, Math.max(receivedAt, now));
    await emitReceived(trx, row);
    await answerKeyword(trx, row, channel);
    return { message: row, duplicate: false };
  });
}
