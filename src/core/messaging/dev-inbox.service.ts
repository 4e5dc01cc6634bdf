/**
 * The dev inbox: what dev-inbox channels "sent" (each message with the copy the provider
 * recorded: rendered text, and for email the header lines and both parts), and customers'
 * messages simulated through the same path a provider webhook takes.
 */
import { randomUUID } from 'node:crypto';
import { DEV_INBOX_ID_PREFIX, type DevInboxRecord } from '../../channels/dev-inbox.provider.js';
import type { CoreContext } from '../context.js';
import { DomainError, invalid, missing, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { forBusiness, type TenantContext } from '../shared/tenant.js';
import { businessCountry } from '../business/business-country.js';
import { checkedDestination } from './channels.addresses.js';
import { providerOf } from './channels.model.js';
import { findChannel } from './channels.repository.js';
import { contentJson, parseContent, toMessage, type Message, type SentCopy } from './messages.model.js';
import { findMessage, pageOfDevInbox, updateMessageRow } from './messages.repository.js';
import { receiveInbound } from './messages.receipts.js';

export interface DevInboxEntry {
  readonly message: Message;
  /** Undefined for a message whose copy was not recorded (sent before this version). */
  readonly sent: SentCopy | undefined;
}

const MAX_INBOUND_BODY = 4096;

/** dev-inbox's record of a send, kept in the message's content. Writing it again replaces it. */
export async function recordDevInboxCopy(ctx: CoreContext, businessId: number, record: DevInboxRecord): Promise<void> {
  const tenant = forBusiness(ctx, businessId).tenant;
  const row = await findMessage(tenant, record.messageId);
  if (!row) return;
  const sent: SentCopy = {
    from: record.from,
    to: record.to,
    body: record.body,
    subject: record.subject,
    html: record.html,
    headers: record.headers.map(({ name, value }) => ({ name, value })),
    attachments: record.attachments.map((a) => ({ url: a.url, content_type: a.contentType, ...(a.filename ? { filename: a.filename } : {}) })),
    template: record.template ? { name: record.template.name, language: record.template.language, components: [...record.template.components] } : null,
    sent_at: Math.floor(record.at / 1000),
  };
  await updateMessageRow(tenant, row.id, { content: contentJson({ ...parseContent(row.content), sent }) });
}

/** Newest first; `destination` keeps what went to one address. */
export async function listDevInbox(ctx: TenantContext, bounds: KeyBounds, destination?: string): Promise<DevInboxEntry[]> {
  const rows = await pageOfDevInbox(ctx.tenant, bounds, DEV_INBOX_ID_PREFIX, destination?.trim() || undefined);
  return rows.map((row) => {
    const message = toMessage(row);
    return { message, sent: message.content.sent };
  });
}

export interface SimulatedInbound {
  readonly channelId: number | undefined;
  readonly from?: string | undefined;
  readonly body?: string | undefined;
}

/** A customer's message on a dev-inbox channel, stored and answered exactly as a provider's webhook would be. */
export async function simulateInbound(ctx: TenantContext, input: SimulatedInbound): Promise<Message> {
  if (input.channelId === undefined) throw missing('channel');
  const channel = await findChannel(ctx.tenant, input.channelId);
  if (!channel) throw notFound('Channel', 'channel');
  if (providerOf(channel) !== 'dev-inbox') throw invalid('channel', 'Only dev-inbox channels take simulated messages; real providers deliver theirs to /hooks.');
  if (input.from === undefined) throw missing('from');
  if (input.from.trim() === '') throw new DomainError('empty', 'Say who writes.', 'from');
  // Strict here, unlike a provider's odd addresses: a simulation should say what it cannot read.
  const from = checkedDestination(channel.technology, input.from, await businessCountry(ctx), 'from');
  if (input.body === undefined) throw missing('body');
  if ([...input.body].length > MAX_INBOUND_BODY) throw invalid('body', `At most ${MAX_INBOUND_BODY} characters.`);
  const now = ctx.clock.now();
  const received = await receiveInbound(ctx, channel.id, { providerId: `${DEV_INBOX_ID_PREFIX}in:${randomUUID()}`, from, to: channel.origin, body: input.body, at: now });
  if (!received) throw new Error('the channel vanished while a message was simulated');
  return toMessage(received.message);
}
