/**
 * Accepting a message: every rule is checked and the text rendered now, in one transaction
 * that writes the message (`pending`), its short links and the job that sends it. The answer
 * therefore shows the text the profile will read, and a refusal (length, consent, window)
 * comes back to the caller instead of surfacing later as a failed message.
 */
import { mayContact, type ConsentChannel } from '../audience/consent.service.js';
import { hydrateProfiles, type Profile } from '../audience/profile.model.js';
import { findProfile } from '../audience/profiles.repository.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { enqueue } from '../../jobs/job-queue.js';
import { touchInbox } from './conversations.service.js';
import { renderForProfile } from './rendering/profile-tags.js';
import { createShortLink } from './short-links.service.js';
import type { Template } from './templates.model.js';
import { assertShortlinksGiven, templateForSending, whatsappTemplateMessage } from './templates.sending.js';
import type { Technology } from './channels.model.js';
import { checkedAttachments } from './messages.attachments.js';
import { BODY_LIMITS, characterCount, contentJson, toMessage, WINDOW_SECONDS, type Message, type MessageContent } from './messages.model.js';
import { insertMessage, recentInboundBodies, updateMessageRow } from './messages.repository.js';
import { keywordOf } from './opt-out.keywords.js';
import { findLiveTemplate } from './messages.templates.js';
import { chooseRoute } from './messages.routing.js';
import { SEND_MESSAGE_JOB, type SendJobPayload } from './messages.job-payload.js';

export interface SendMessageInput {
  /** Undefined: the client named a profile that is not ours (the surface answers a missing one). */
  readonly profileId: number | undefined;
  /** Free-form text; ignored when a template is given. */
  readonly body?: string | null | undefined;
  /** `id` undefined: the client named a template that is not ours (a 404, like a missing one). */
  readonly template?: { readonly id: number | undefined; readonly shortlinks?: Readonly<Record<string, string>> | undefined } | undefined;
  readonly origin?: string | undefined;
  readonly destination?: string | undefined;
  readonly technology?: string | undefined;
  readonly attachments?: readonly string[] | undefined;
  /** Order updates, receipts, answers: bypasses subscription, never a block or a suppression. */
  readonly transactional?: boolean | undefined;
  /** Email. */
  readonly subject?: string | undefined;
  readonly html?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly campaignId?: number | undefined;
  /** Internal: send on this channel (answers to a customer's message go where it wrote). */
  readonly channelId?: number | undefined;
}

/** The profile's last messages looked at to tell a conversation from a string of STOPs. */
const RECENT_INBOUND = 20;
const MAX_SUBJECT = 998;
const MAX_HTML = 5_000_000;
const MAX_HEADERS = 50;
/** Headers a caller may not set: the provider writes them from the message itself. */
const RESERVED_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'date', 'content-type', 'content-transfer-encoding', 'mime-version']);

const REFUSALS: Readonly<Record<string, string>> = {
  blocked: 'The profile is blocked: nothing can be sent to it.',
  suppressed: 'The destination is on the suppression list.',
  unsubscribed: 'The profile has unsubscribed: only transactional messages and replies within 24 hours of its last message can be sent.',
  cleared: 'The profile was cleared: subscribe it again before sending promotional messages.',
  bounced: 'Mail to this profile bounced: only transactional email can be sent to it.',
};

async function profileOf(ctx: TenantContext, profileId: number | undefined): Promise<Profile> {
  if (profileId === undefined) throw notFound('Profile', 'profile');
  const row = await findProfile(ctx.tenant, profileId);
  if (!row) throw notFound('Profile', 'profile');
  const [profile] = await hydrateProfiles(ctx, [row]);
  if (!profile) throw notFound('Profile', 'profile');
  return profile;
}

async function templateOf(ctx: TenantContext, input: SendMessageInput['template']): Promise<{ template: Template; language: string | null } | undefined> {
  if (input === undefined) return undefined;
  if (input.id === undefined) throw notFound('Template', 'template');
  const template = await templateForSending(ctx, input.id);
  assertShortlinksGiven(template, input.shortlinks ?? {});
  // The language is no part of the template model yet; WhatsApp needs it to pick the translation.
  const row = await findLiveTemplate(ctx.tenant, input.id);
  return { template, language: row?.language ?? null };
}

function emailParts(technology: Technology, input: SendMessageInput): Pick<MessageContent, 'headers'> & { subject: string | null; html: string | null } {
  if (technology !== 'email') {
    for (const parameter of ['subject', 'html'] as const) if (input[parameter] !== undefined) throw invalid(parameter, `Only email messages have a ${parameter}.`);
    return { subject: null, html: null };
  }
  const subject = input.subject ?? '';
  if (/[\r\n]/.test(subject) || subject.length > MAX_SUBJECT) throw invalid('subject', `A subject is one line of at most ${MAX_SUBJECT} characters.`);
  if (input.html !== undefined && input.html.length > MAX_HTML) throw invalid('html', 'The HTML part is too large.');
  const headers = Object.entries(input.headers ?? {});
  if (headers.length > MAX_HEADERS) throw invalid('headers', `At most ${MAX_HEADERS} headers.`);
  for (const [name, value] of headers) {
    if (!/^[!-9;-~]+$/.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) throw invalid('headers', `${name} cannot be set as a header.`);
    if (/[\r\n]/.test(value)) throw invalid('headers', `The ${name} header must be one line.`);
  }
  return { subject, html: input.html ?? null, ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}) };
}

/**
 * Whether the profile wrote in within 24 hours: then this is a reply, not a promotion. An
 * opt-out keyword opens no conversation, or STOP would make the next promotion a "reply".
 */
async function inConversation(ctx: TenantContext, profileId: number): Promise<boolean> {
  const bodies = await recentInboundBodies(ctx.tenant, profileId, epochSeconds(ctx.clock) - WINDOW_SECONDS, RECENT_INBOUND);
  return bodies.some((body) => keywordOf(body, ctx.config) !== 'opt_out');
}

/**
 * Accepts a message for sending and answers it `pending`; a job sends it. The core entry
 * point of every surface that sends (Hellotext messages, campaigns, Hellodialog and
 * eSputnik email, STOP confirmations). Runs in the caller's transaction when there is one.
 */
export async function sendMessage(ctx: TenantContext, input: SendMessageInput): Promise<Message> {
  return inTransaction(ctx, async (trx) => {
    const profile = await profileOf(trx, input.profileId);
    const chosenTemplate = await templateOf(trx, input.template);
    const template = chosenTemplate?.template;
    if (!template) {
      if (input.body === undefined || input.body === null) throw missing('body');
      if (input.body.trim() === '') throw new DomainError('empty', 'A message needs a body (or a template).', 'body');
    }
    const route = await chooseRoute(trx, profile, {
      technology: input.technology,
      origin: input.origin,
      destination: input.destination,
      channelId: input.channelId,
      template,
    });
    const { channel, technology, destination } = route;
    const email = emailParts(technology, input);
    const attachments = checkedAttachments(technology, input.attachments ?? []);

    const purpose = input.transactional === true || (await inConversation(trx, profile.id)) ? 'transactional' : 'promotional';
    const verdict = await mayContact(trx, profile, { channel: technology satisfies ConsentChannel, address: destination, purpose });
    if (!verdict.allowed) throw new DomainError('not_allowed', REFUSALS[verdict.reason] ?? 'The profile may not be contacted.', 'profile');

    const limit = BODY_LIMITS[technology];
    const tooLong = (text: string) => invalid(template ? 'template' : 'body', `${technology} messages are limited to ${limit} characters; this one has ${characterCount(text)}.`);
    // A free-form body is final now: refused before anything is written (callers inside a transaction may go on).
    if (!template && characterCount(input.body ?? '') > limit) throw tooLong(input.body ?? '');

    const now = epochSeconds(ctx.clock);
    const content: MessageContent = { ...(attachments.length > 0 ? { attachments } : {}), ...(email.headers ? { headers: email.headers } : {}) };
    const row = await insertMessage(trx.tenant, {
      profile_id: profile.id,
      channel_id: channel.id,
      template_id: template?.id ?? null,
      campaign_id: input.campaignId ?? null,
      direction: 'outbound',
      technology,
      origin: channel.origin,
      destination,
      body: template?.body ?? input.body ?? '',
      subject: email.subject,
      html: email.html,
      content: contentJson(content),
      state: 'pending',
      failure_reason: null,
      provider_id: null,
      transactional: input.transactional === true ? 1 : 0,
      created_at: now,
      updated_at: now,
      routed_at: null,
      delivered_at: null,
      failed_at: null,
      received_at: null,
    });

    let body = row.body;
    if (template) {
      // Links are made with the message's id, so clicks are attributed to it.
      const links = new Map<string, string>();
      const shortlink = async (target: string): Promise<string> => {
        const known = links.get(target);
        if (known !== undefined) return known;
        const { url } = await createShortLink(trx, { destination: target, messageId: row.id, profileId: profile.id, campaignId: input.campaignId });
        links.set(target, url);
        return url;
      };
      const options = { shortlink, shortlinks: input.template?.shortlinks ?? {} };
      body = await renderForProfile(trx, template.body, profile.id, options);
      // WhatsApp sends the approved template by name; its parameters are the tags' values in the order of its variables.
      if (technology === 'whatsapp') content.template = await whatsappTemplateMessage(trx, template, (text) => renderForProfile(trx, text, profile.id, options));
    }
    if (characterCount(body) > limit) throw tooLong(body);
    if (body !== row.body || content.template) await updateMessageRow(trx.tenant, row.id, { body, content: contentJson(content) });

    const payload: SendJobPayload = { message: row.id, maxAttempts: ctx.config.JOB_MAX_ATTEMPTS };
    await enqueue(trx.db, { kind: SEND_MESSAGE_JOB, payload, businessId: trx.businessId, maxAttempts: ctx.config.JOB_MAX_ATTEMPTS }, trx);
    await touchInbox(trx, profile.id, now);
    return toMessage({ ...row, body, content: contentJson(content) });
  });
}
