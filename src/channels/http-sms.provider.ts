/**
 * SMS (and MMS) through a Twilio-compatible Messages API: Twilio itself, or any gateway that
 * speaks its dialect (configurable base URL). Receipts and inbound messages come back as
 * form-encoded webhooks signed with X-Twilio-Signature.
 *
 * The Messages API takes no idempotency key. A request that times out after the gateway took
 * it is reported retryable, and the retry sends the message a second time.
 */

import { createHmac } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { failedFetch, isRetryableStatus, retryAfterMs } from './http-outcome.js';
import { parseJson, stringField } from './json.js';
import { defineProvider } from './provider-definition.js';
import type { InboundMedia, InboundMessage, OutboundMessage, Provider, ProviderDeps, Receipt, ReceiptState, SendOutcome, WebhookRequest, WebhookResult } from './provider.js';
import { header, safeEqual } from './webhook-verify.js';

const HttpSmsSettings = Type.Object(
  {
    baseUrl: Type.String({ format: 'uri', default: 'https://api.twilio.com', description: 'The API origin, without the /2010-04-01 path.' }),
    accountSid: Type.String({ minLength: 1 }),
    authToken: Type.String({ minLength: 1, writeOnly: true, description: 'Basic auth password, and the key webhooks are signed with.' }),
    timeoutMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 10_000 }),
  },
  { additionalProperties: false },
);
export type HttpSmsSettings = Static<typeof HttpSmsSettings>;

// Twilio's MessageStatus values that say something final (or 'sent', the hand-off to the carrier).
const STATUS_STATES: Readonly<Record<string, ReceiptState>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function messagesUrl(settings: HttpSmsSettings): string {
  return `${settings.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
}

// A Twilio Messaging Service: the origin names a pool of senders instead of one number.
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;

export function formFor(message: OutboundMessage): URLSearchParams {
  const origin = MESSAGING_SERVICE_SID.test(message.from) ? 'MessagingServiceSid' : 'From';
  const form = new URLSearchParams({ To: message.to, [origin]: message.from, Body: message.body });
  if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
  for (const attachment of message.attachments ?? []) if (attachment.url) form.append('MediaUrl', attachment.url);
  return form;
}

async function send(settings: HttpSmsSettings, deps: ProviderDeps, message: OutboundMessage): Promise<SendOutcome> {
  if (message.technology !== 'sms') return { kind: 'permanent', reason: `http-sms cannot send ${message.technology} messages` };
  if (message.attachments?.some((attachment) => !attachment.url)) return { kind: 'permanent', reason: 'MMS media must be given by URL' };
  let response;
  try {
    response = await deps.outbound.fetch(messagesUrl(settings), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: formFor(message).toString(),
      timeoutMs: settings.timeoutMs,
    });
  } catch (error) {
    return failedFetch(error, 'http-sms');
  }
  const body = parseJson(response.body);
  if (response.status >= 200 && response.status < 300) {
    const sid = stringField(body, 'sid');
    // Taken, but nothing to match receipts with: sending again could duplicate it, so do not.
    if (!sid) return { kind: 'permanent', reason: `http-sms answered ${response.status} without a sid` };
    return { kind: 'accepted', providerId: sid };
  }
  const code = stringField(body, 'code');
  const reason = `http-sms ${response.status}${code ? ` (${code})` : ''}: ${stringField(body, 'message') ?? response.body.toString('utf8').slice(0, 200)}`;
  if (isRetryableStatus(response.status)) {
    const after = retryAfterMs(response.headers['retry-after'], deps.clock.now());
    return { kind: 'retryable', reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  return { kind: 'permanent', reason, code: code ?? String(response.status) };
}

/** Twilio's signature: HMAC-SHA1 over the URL and every POST parameter, sorted by name, name then value. */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const pairs = [...params.entries()].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const data = url + pairs.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** The URL with and without its default port: Twilio signs https URLs either way depending on how they were configured. */
function urlVariants(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [raw];
  }
  if (url.port) {
    url.port = '';
    return [raw, url.href];
  }
  // Assigning a scheme's default port to URL.port is a no-op, so the text is built by hand.
  const port = url.protocol === 'https:' ? '443' : '80';
  return [raw, `${url.protocol}//${url.hostname}:${port}${url.pathname}${url.search}`];
}

function inboundMedia(params: URLSearchParams): InboundMedia[] {
  const count = Math.min(Number(params.get('NumMedia') ?? '0') || 0, 10);
  const media: InboundMedia[] = [];
  for (let i = 0; i < count; i += 1) {
    const url = params.get(`MediaUrl${i}`);
    if (url) media.push({ url, contentType: params.get(`MediaContentType${i}`) ?? 'application/octet-stream' });
  }
  return media;
}

function parseWebhook(settings: HttpSmsSettings, request: WebhookRequest): WebhookResult {
  if (request.method !== 'POST') return { kind: 'rejected', status: 405, reason: 'http-sms webhooks are POST requests' };
  const signature = header(request, 'x-twilio-signature');
  if (!signature) return { kind: 'rejected', status: 401, reason: 'missing X-Twilio-Signature' };
  const params = new URLSearchParams(request.rawBody.toString('utf8'));
  const valid = urlVariants(request.url).some((url) => safeEqual(twilioSignature(settings.authToken, url, params), signature));
  if (!valid) return { kind: 'rejected', status: 403, reason: 'X-Twilio-Signature does not match' };

  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  if (!sid) return { kind: 'rejected', status: 400, reason: 'no MessageSid' };
  const ok = { status: 200, contentType: 'text/xml', body: EMPTY_TWIML };

  const status = params.get('MessageStatus') ?? params.get('SmsStatus');
  if (status && status !== 'received') {
    const state = STATUS_STATES[status];
    // queued, sending, accepted, scheduled: steps before anything we record.
    if (!state) return { kind: 'handled', receipts: [], inbound: [], reply: ok };
    const errorCode = params.get('ErrorCode');
    const reason = state === 'failed' ? `${status}${errorCode ? ` (${errorCode})` : ''}${params.get('ErrorMessage') ? `: ${params.get('ErrorMessage')}` : ''}` : undefined;
    const receipt: Receipt = { providerId: sid, state, at: request.receivedAt, ...(reason ? { reason } : {}) };
    return { kind: 'handled', receipts: [receipt], inbound: [], reply: ok };
  }

  const media = inboundMedia(params);
  const inbound: InboundMessage = {
    providerId: sid,
    from: params.get('From') ?? '',
    to: params.get('To') ?? '',
    body: params.get('Body') ?? '',
    at: request.receivedAt,
    ...(media.length ? { media } : {}),
  };
  // Empty TwiML: the engine answers (STOP confirmations, replies) through the API, not in this response.
  return { kind: 'handled', receipts: [], inbound: [inbound], reply: ok };
}

export const httpSmsProvider = defineProvider({
  name: 'http-sms',
  technologies: ['sms'],
  settings: HttpSmsSettings,
  create: (settings, _events, deps): Provider => ({
    send: (message) => send(settings, deps, message),
    close: async () => undefined,
  }),
  webhook: parseWebhook,
});
