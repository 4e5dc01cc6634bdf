/**
 * The send job: one per message, written with it. It takes the channel's next send slot,
 * hands the message to the channel's provider and records the outcome: accepted → routed
 * (provider id and state in one statement), permanent → failed, retryable → thrown, so the
 * job system backs off and runs it again; the last attempt fails the message instead.
 *
 * The outcome is the job's finish (job-handler.ts): the worker writes it in the transaction
 * that deletes the job, batched with other jobs' completions, so a send costs no commit of
 * its own and the outcome is recorded exactly when the job is done.
 *
 * A job may run twice for one message (its worker died after sending but before recording):
 * the message is then sent twice unless the provider deduplicates — dev-inbox does by our id,
 * SMTP receivers may by Message-ID; see docs/providers.md and docs/messaging.md.
 */
import type { Transaction } from 'kysely';
import { InvalidSettingsError } from '../../channels/providers.js';
import { DEV_INBOX_ID_PREFIX } from '../../channels/dev-inbox.provider.js';
import type { OutboundMessage } from '../../channels/provider.js';
import { enqueue } from '../../jobs/job-queue.js';
import { finishJob, PermanentJobError, type Job, type JobBatch, type JobHandlers } from '../../jobs/job-handler.js';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { forBusiness, TenantDb, type TenantContext } from '../shared/tenant.js';
import { providerOf, type ChannelRow } from './channels.model.js';
import { findChannel } from './channels.repository.js';
import { SEND_MESSAGE_JOB, sendJobPayload, type SendJobPayload } from './messages.job-payload.js';
import { parseContent, type MessageRow } from './messages.model.js';
import { channelProviders, type ChannelProviders } from './messages.providers.js';
import { findMessage, findMessages } from './messages.repository.js';
import { markAccepted, markFailed } from './messages.states.js';
import { takeSendSlot } from './rate-limit.js';

/** A retryable outcome: thrown so the job system retries with its backoff. */
export class RetryableSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

/** Where a provider's peer posts receipts for a channel (the http-sms status callback). */
export function hookUrl(ctx: CoreContext, channel: Pick<ChannelRow, 'id' | 'provider'>): string {
  return `${ctx.config.PUBLIC_URL}/hooks/${channel.provider}/${channel.id}`;
}

export function outboundOf(ctx: CoreContext, message: MessageRow, channel: ChannelRow): OutboundMessage {
  const content = parseContent(message.content);
  return {
    id: message.id,
    technology: message.technology,
    from: channel.origin,
    to: message.destination,
    body: message.body,
    ...(message.subject !== null ? { subject: message.subject } : {}),
    ...(message.html !== null ? { html: message.html } : {}),
    ...(content.headers ? { headers: content.headers } : {}),
    ...(content.attachments?.length
      ? { attachments: content.attachments.map((a) => ({ url: a.url, contentType: a.content_type, ...(a.filename ? { filename: a.filename } : {}) })) }
      : {}),
    ...(content.template ? { template: content.template } : {}),
    statusCallbackUrl: hookUrl(ctx, channel),
  };
}

/** Channel rows read for the jobs of one claim (job.batch): a batch of sends reads its channel once. */
const channelsByBatch = new WeakMap<JobBatch, Map<string, Promise<ChannelRow | undefined>>>();

/**
 * The message's channel, read once for all the jobs claimed with this one. The row can be as
 * old as the claim (moments): a channel deactivated in between still sends that batch, as
 * it would have had the change come a moment later.
 */
function channelOf(tenant: TenantContext, job: Job, channelId: number): Promise<ChannelRow | undefined> {
  if (!job.batch) return findChannel(tenant.tenant, channelId);
  let channels = channelsByBatch.get(job.batch);
  if (!channels) {
    channels = new Map();
    channelsByBatch.set(job.batch, channels);
  }
  const key = `${tenant.businessId}:${channelId}`;
  let channel = channels.get(key);
  if (!channel) {
    channel = findChannel(tenant.tenant, channelId);
    channels.set(key, channel);
  }
  return channel;
}

/** Messages of the sends of one claim (job.batch), read together at the first send's start. */
const messagesByBatch = new WeakMap<JobBatch, { readonly at: number; readonly rows: Promise<Map<string, MessageRow> | undefined> }>();

/** How old a batch's read may be for a send that starts later (it waited for a free worker). */
const BATCH_READ_FRESH_MS = 100;

/**
 * The message a send is for. The sends of one claim read their messages in one statement,
 * when the first of them starts; a send starting later than BATCH_READ_FRESH_MS after that
 * reads its own (its channel may have gone meanwhile), as does any send when the batch's read
 * failed. The state a row shows is checked again when the outcome is written (`pending` only).
 */
async function messageOf(tenant: TenantContext, job: Job, id: number): Promise<MessageRow | undefined> {
  if (!job.batch) return findMessage(tenant.tenant, id);
  let read = messagesByBatch.get(job.batch);
  if (!read) {
    read = { at: performance.now(), rows: readBatchMessages(tenant, job.batch).catch(() => undefined) };
    messagesByBatch.set(job.batch, read);
  }
  const rows = performance.now() - read.at <= BATCH_READ_FRESH_MS ? await read.rows : undefined;
  return rows?.get(`${tenant.businessId}:${id}`) ?? findMessage(tenant.tenant, id);
}

async function readBatchMessages(ctx: CoreContext, batch: JobBatch): Promise<Map<string, MessageRow>> {
  const byBusiness = new Map<number, number[]>();
  for (const entry of batch.jobs) {
    if (entry.kind !== SEND_MESSAGE_JOB || entry.businessId === null) continue;
    let payload: SendJobPayload;
    try {
      payload = sendJobPayload(JSON.parse(entry.payload));
    } catch {
      continue; // Its own run reports it.
    }
    byBusiness.set(entry.businessId, [...(byBusiness.get(entry.businessId) ?? []), payload.message]);
  }
  const found = new Map<string, MessageRow>();
  for (const [businessId, ids] of byBusiness) {
    for (const row of await findMessages(new TenantDb(ctx.db, businessId), ids)) found.set(`${businessId}:${row.id}`, row);
  }
  return found;
}

async function sendOnce(ctx: CoreContext, providers: ChannelProviders, job: Job, payload: SendJobPayload): Promise<void> {
  if (job.businessId === null) throw new PermanentJobError('a message send job needs its business');
  const tenant: TenantContext = forBusiness(ctx, job.businessId);
  const message = await messageOf(tenant, job, payload.message);
  // Sent (or failed) already: a repeated run records nothing twice.
  if (!message || message.direction !== 'outbound' || message.state !== 'pending') return;
  const channel = message.channel_id === null ? undefined : await channelOf(tenant, job, message.channel_id);
  if (!channel) return markFailed(tenant, message.id, 'The channel was deleted before the message was sent.');
  if (channel.active !== 1) return markFailed(tenant, message.id, 'The channel was deactivated before the message was sent.');

  const slot = await takeSendSlot(ctx, channel, payload.slotMs);
  if (slot.kind === 'gone') return markFailed(tenant, message.id, 'The channel was deleted before the message was sent.');
  if (slot.kind === 'later') {
    const later: SendJobPayload = { ...payload, slotMs: slot.slotMs };
    const businessId = job.businessId;
    // Written with this job's deletion: the job for the slot replaces this one atomically.
    return finishJob(ctx.db, job, async (trx) => {
      await enqueue(trx, { kind: SEND_MESSAGE_JOB, payload: later, businessId, runAt: Math.ceil(slot.slotMs), maxAttempts: payload.maxAttempts }, ctx);
    });
  }

  let provider;
  try {
    provider = providers.providerFor(channel);
  } catch (error) {
    if (error instanceof InvalidSettingsError) return markFailed(tenant, message.id, `The channel's settings are invalid: ${error.errors.join('; ')}`);
    throw error;
  }
  const outcome = await provider.send(outboundOf(ctx, message, channel));
  const businessId = job.businessId;
  const inFinish = (trx: Transaction<Database>): TenantContext => forBusiness({ ...ctx, db: trx }, businessId);
  switch (outcome.kind) {
    case 'accepted': {
      const deliveredAtOnce = providerOf(channel) === 'dev-inbox' && outcome.providerId.startsWith(DEV_INBOX_ID_PREFIX);
      return finishJob(ctx.db, job, (trx) => markAccepted(inFinish(trx), message.id, outcome.providerId, deliveredAtOnce));
    }
    case 'permanent':
      return finishJob(ctx.db, job, (trx) => markFailed(inFinish(trx), message.id, outcome.reason));
    case 'retryable': {
      if (job.attempt < payload.maxAttempts) throw new RetryableSendError(outcome.reason);
      const reason = `Gave up after ${job.attempt} attempts: ${outcome.reason}`;
      return finishJob(ctx.db, job, (trx) => markFailed(inFinish(trx), message.id, reason));
    }
  }
}

export function messageJobHandlers(ctx: CoreContext): JobHandlers {
  const providers = channelProviders(ctx);
  return {
    [SEND_MESSAGE_JOB]: (job) => sendOnce(ctx, providers, job, sendJobPayload(job.payload)),
  };
}
