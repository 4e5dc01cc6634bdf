/**
 * Email through any SMTP server with nodemailer's pooled transport: connections are opened
 * once and reused for the next messages, up to `maxConnections` in parallel.
 *
 * SMTP has no idempotency key. A crash (or a lost connection) after the server took the
 * message but before the engine recorded it means the next attempt sends it again. What we
 * can do is send the same Message-ID every time, derived from our message id, so receiving
 * systems that deduplicate on it (and our own sink) see one message.
 */

import type { Socket } from 'node:net';
import { createTransport } from 'nodemailer';
import { Type, type Static } from 'typebox';
import { withDeadline } from './deadline.js';
import { connectGuarded, BlockedAddressError } from './guarded-address.js';
import { failedFetch, isRetryableStatus } from './http-outcome.js';
import { defineProvider } from './provider-definition.js';
import type { OutboundAttachment, OutboundMessage, Provider, ProviderDeps, SendOutcome } from './provider.js';

const SmtpSettings = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'SMTP server name or address.' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    secure: Type.Boolean({ default: false, description: 'TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.' }),
    requireTls: Type.Boolean({ default: false, description: 'Refuse to send when the server does not offer STARTTLS.' }),
    user: Type.Optional(Type.String({ minLength: 1 })),
    pass: Type.Optional(Type.String({ minLength: 1, writeOnly: true })),
    from: Type.String({ minLength: 3, description: 'Envelope sender (bounces go here), and the From header when the message gives none.' }),
    maxConnections: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
    timeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 30_000, description: 'Longest one send may take, connecting included.' }),
    dkim: Type.Optional(
      Type.Object(
        {
          domainName: Type.String({ minLength: 1 }),
          keySelector: Type.String({ minLength: 1 }),
          privateKey: Type.String({ minLength: 1, writeOnly: true, description: 'PEM private key.' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SmtpSettings = Static<typeof SmtpSettings>;

/** Largest attachment fetched by URL; mail servers refuse far smaller messages anyway. */
const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

// Codes nodemailer and Node give when the connection failed rather than the server refusing
// the message; the same message may go through on a new connection. EABORT is our own deadline.
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'EABORT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** The domain of the last address in a From value (`Name <a@b.c>` or `a@b.c`). */
function domainOf(from: string): string | undefined {
  return /@([^\s<>@]+)>?\s*$/.exec(from)?.[1]?.toLowerCase();
}

/** Our Message-ID: the same on every attempt of one message, so receivers can drop a duplicate. */
export function messageIdFor(messageId: number, from: string): string {
  return `<${messageId}.hellohub@${domainOf(from) ?? 'localhost'}>`;
}

/** SMTP replies and connection failures as outcomes. */
export function smtpOutcome(error: unknown): SendOutcome {
  if (error instanceof BlockedAddressError) return { kind: 'permanent', reason: error.message, code: 'blocked_address' };
  if (!(error instanceof Error)) return { kind: 'retryable', reason: String(error) };
  const responseCode = 'responseCode' in error && typeof error.responseCode === 'number' ? error.responseCode : undefined;
  const response = 'response' in error && typeof error.response === 'string' ? error.response : error.message;
  if (responseCode !== undefined) {
    // RFC 5321: 4yz is transient, 5yz permanent; 503 (bad sequence) is the session's state,
    // not a verdict on the message, and passes on a new connection (nodemailer agrees).
    const permanent = responseCode >= 500 && responseCode !== 503;
    const reason = `SMTP ${responseCode}: ${response}`;
    return permanent ? { kind: 'permanent', reason, code: String(responseCode) } : { kind: 'retryable', reason };
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && CONNECTION_CODES.has(code)) return { kind: 'retryable', reason: `SMTP ${code}: ${error.message}` };
  // Bad credentials with no reply code, an unusable address, a message nodemailer cannot build.
  return { kind: 'permanent', reason: `SMTP ${code ?? 'error'}: ${error.message}`, ...(code ? { code } : {}) };
}

type MailAttachment = { content: Buffer; contentType: string; filename?: string };

/** Attachments as bytes: those given by URL are fetched through the guarded client, never by nodemailer. */
async function loadAttachments(attachments: readonly OutboundAttachment[], deps: ProviderDeps, timeoutMs: number): Promise<MailAttachment[] | SendOutcome> {
  const loaded: MailAttachment[] = [];
  for (const attachment of attachments) {
    const named = attachment.filename ? { filename: attachment.filename } : {};
    if (attachment.content) {
      loaded.push({ content: attachment.content, contentType: attachment.contentType, ...named });
      continue;
    }
    if (!attachment.url) return { kind: 'permanent', reason: 'attachment has neither content nor url' };
    let response;
    try {
      response = await deps.outbound.fetch(attachment.url, { maxBytes: MAX_ATTACHMENT_BYTES, timeoutMs });
    } catch (error) {
      return failedFetch(error, 'attachment');
    }
    if (response.status < 200 || response.status > 299) {
      const reason = `attachment ${attachment.url} answered ${response.status}`;
      return isRetryableStatus(response.status) ? { kind: 'retryable', reason } : { kind: 'permanent', reason };
    }
    loaded.push({ content: response.body, contentType: attachment.contentType, ...named });
  }
  return loaded;
}

function createSmtpProvider(settings: SmtpSettings, deps: ProviderDeps): Provider {
  const transport = createTransport({
    pool: true,
    maxConnections: settings.maxConnections,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    ...(settings.dkim ? { dkim: settings.dkim } : {}),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    // Nodemailer would otherwise read files and fetch URLs named in a message, past our address rule.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    // Every connection goes to an address the policy allows; nodemailer starts TLS on it itself.
    getSocket: (_options: unknown, callback: (error: Error | null, socket?: { connection: Socket }) => void) => {
      connectGuarded(settings.host, settings.port, deps, settings.timeoutMs).then(
        (connection) => callback(null, { connection }),
        (error: Error) => callback(error),
      );
    },
  });

  let closed = false;
  let inflight = 0;
  const idle = new Set<() => void>();

  async function deliver(message: OutboundMessage): Promise<SendOutcome> {
    if (message.technology !== 'email') return { kind: 'permanent', reason: `smtp cannot send ${message.technology} messages` };
    const attachments = await loadAttachments(message.attachments ?? [], deps, settings.timeoutMs);
    if (!Array.isArray(attachments)) return attachments;
    const from = message.from || settings.from;
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'message-id'));
    const givenId = Object.entries(message.headers ?? {}).find(([name]) => name.toLowerCase() === 'message-id')?.[1];
    const mail = {
      from,
      to: message.to,
      // Bounces go to the account's own address, which relays usually require as MAIL FROM.
      envelope: { from: settings.from, to: message.to },
      messageId: givenId ?? messageIdFor(message.id, from),
      subject: message.subject ?? '',
      text: message.body,
      ...(message.html !== undefined ? { html: message.html } : {}),
      headers,
      attachments,
    };
    try {
      // Socket timeouts miss a server that trickles its replies; the signal bounds the whole send.
      const info = await withDeadline(settings.timeoutMs, (signal) => transport.sendMail({ ...mail, signal }));
      return { kind: 'accepted', providerId: info.messageId };
    } catch (error) {
      const outcome = smtpOutcome(error);
      deps.logger.warn({ provider: 'smtp', messageId: message.id, outcome }, 'smtp send failed');
      return outcome;
    }
  }

  return {
    async send(message) {
      if (closed) return { kind: 'retryable', reason: 'smtp provider closed' };
      inflight += 1;
      try {
        return await deliver(message);
      } finally {
        inflight -= 1;
        if (inflight === 0) for (const done of [...idle]) done();
      }
    },
    async close() {
      closed = true;
      // Sends in flight finish (each is bounded by timeoutMs) before the pool says QUIT.
      if (inflight > 0) {
        await withDeadline(
          settings.timeoutMs,
          (signal) =>
            new Promise<void>((resolve) => {
              idle.add(resolve);
              signal.addEventListener('abort', () => resolve(), { once: true });
            }),
        );
      }
      transport.close();
    },
  };
}

export const smtpProvider = defineProvider({
  name: 'smtp',
  technologies: ['email'],
  settings: SmtpSettings,
  create: (settings, _events, deps) => createSmtpProvider(settings, deps),
});
