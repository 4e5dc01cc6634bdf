/**
 * WhatsApp through the Cloud API (Meta's Graph API, or anything speaking it at the configured
 * base URL): text, template and media-by-link messages. Webhooks: whatsapp-cloud.webhook.ts;
 * submitting templates for review: whatsapp-cloud.templates.ts.
 *
 * The API takes no idempotency key; a request that times out after Meta took it is reported
 * retryable and the retry sends it again. Every message carries our id in
 * `biz_opaque_callback_data`, which Meta echoes on status webhooks, so receipts still find
 * their message when the provider id was never recorded.
 */

import { Type, type Static } from 'typebox';
import { failedFetch, isRetryableStatus, retryAfterMs } from './http-outcome.js';
import { arrayField, isRecord, parseJson, stringField } from './json.js';
import { defineProvider } from './provider-definition.js';
import type { OutboundMessage, Provider, ProviderDeps, SendOutcome } from './provider.js';
import { parseWhatsappWebhook } from './whatsapp-cloud.webhook.js';

export const WhatsappCloudSettings = Type.Object(
  {
    baseUrl: Type.String({ format: 'uri', default: 'https://graph.facebook.com' }),
    apiVersion: Type.String({ pattern: '^v\\d+\\.\\d+$', default: 'v21.0' }),
    phoneNumberId: Type.String({ pattern: '^\\d+$' }),
    businessAccountId: Type.Optional(
      Type.String({ pattern: '^\\d+$', description: 'The WhatsApp Business Account (WABA) id: needed to submit templates for review, not to send.' }),
    ),
    appId: Type.Optional(Type.String({ pattern: '^\\d+$', description: "The Meta app's id: needed to upload the sample of a template's image, video or document header." })),
    templateLanguage: Type.Optional(
      Type.String({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$', description: "The language templates are submitted in (en_US, es_AR, pt_BR); the business's country's when absent." }),
    ),
    accessToken: Type.String({ minLength: 1, writeOnly: true }),
    appSecret: Type.String({ minLength: 1, writeOnly: true, description: 'Signs webhook bodies (X-Hub-Signature-256).' }),
    verifyToken: Type.String({ minLength: 1, writeOnly: true, description: 'Echoed by Meta when it verifies the webhook URL.' }),
    timeoutMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 10_000 }),
  },
  { additionalProperties: false },
);
export type WhatsappCloudSettings = Static<typeof WhatsappCloudSettings>;

/** Outside the 24-hour customer service window only a template may be sent. */
export const REENGAGEMENT_CODE = '131047';

// Error codes that are about pace or Meta's own health, whatever the HTTP status says:
// 1/2 API unknown/unavailable, 4 app rate limit, 80007 account rate limit, 130429 throughput,
// 131016 service unavailable, 131056 pair rate limit, 133004 server temporarily unavailable.
const RETRYABLE_CODES = new Set(['1', '2', '4', '80007', '130429', '131016', '131056', '133004']);

type Payload = Record<string, unknown>;

function mediaType(contentType: string): 'image' | 'video' | 'audio' | 'document' {
  const [kind] = contentType.toLowerCase().split('/');
  return kind === 'image' || kind === 'video' || kind === 'audio' ? kind : 'document';
}

/** The request body for one message, or why it cannot be sent. */
export function payloadFor(message: OutboundMessage): { readonly payload: Payload } | { readonly refused: SendOutcome } {
  const refuse = (reason: string): { refused: SendOutcome } => ({ refused: { kind: 'permanent', reason } });
  if (message.technology !== 'whatsapp') return refuse(`whatsapp-cloud cannot send ${message.technology} messages`);
  if (!/^\+?\d{6,15}$/.test(message.to)) return refuse(`${message.to} is not a WhatsApp phone number`);
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to.replace(/^\+/, ''), biz_opaque_callback_data: String(message.id) };
  if (message.template) {
    const { name, language, components } = message.template;
    return { payload: { ...base, type: 'template', template: { name, language: { code: language }, components } } };
  }
  const attachments = message.attachments ?? [];
  if (attachments.length > 1) return refuse('a WhatsApp message carries one attachment');
  const [attachment] = attachments;
  if (attachment) {
    if (!attachment.url) return refuse('WhatsApp media must be given by URL');
    const type = mediaType(attachment.contentType);
    const media: Payload = { link: attachment.url };
    // Audio takes no caption; documents show their file name.
    if (type !== 'audio' && message.body) media.caption = message.body;
    if (type === 'document' && attachment.filename) media.filename = attachment.filename;
    return { payload: { ...base, type, [type]: media } };
  }
  return { payload: { ...base, type: 'text', text: { body: message.body, preview_url: /https?:\/\//i.test(message.body) } } };
}

/** Meta's error object as an outcome; `retryAfter` from the response headers. */
export function errorOutcome(status: number, body: unknown, retryAfter: number | undefined): SendOutcome {
  const error = isRecord(body) ? body.error : undefined;
  const code = stringField(error, 'code');
  const details = stringField(isRecord(error) ? error.error_data : undefined, 'details');
  const text = [stringField(error, 'message'), details].filter(Boolean).join(': ') || `HTTP ${status}`;
  const reason = `whatsapp-cloud ${status}${code ? ` (${code})` : ''}: ${text}`;
  if (code === REENGAGEMENT_CODE) {
    return { kind: 'permanent', code, reason: 'more than 24 hours since the customer last wrote: only a template message may be sent (131047 re-engagement)' };
  }
  if (isRetryableStatus(status) || (code !== undefined && RETRYABLE_CODES.has(code))) {
    return { kind: 'retryable', reason, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
  }
  return { kind: 'permanent', reason, code: code ?? String(status) };
}

async function send(settings: WhatsappCloudSettings, deps: ProviderDeps, message: OutboundMessage): Promise<SendOutcome> {
  const built = payloadFor(message);
  if ('refused' in built) return built.refused;
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${settings.phoneNumberId}/messages`;
  let response;
  try {
    response = await deps.outbound.fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(built.payload),
      timeoutMs: settings.timeoutMs,
    });
  } catch (error) {
    return failedFetch(error, 'whatsapp-cloud');
  }
  const body = parseJson(response.body);
  if (response.status >= 200 && response.status < 300) {
    const id = stringField(arrayField(body, 'messages')[0], 'id');
    // Taken, but nothing to match receipts with: sending again could duplicate it, so do not.
    if (!id) return { kind: 'permanent', reason: `whatsapp-cloud answered ${response.status} without messages[0].id` };
    return { kind: 'accepted', providerId: id };
  }
  return errorOutcome(response.status, body, retryAfterMs(response.headers['retry-after'], deps.clock.now()));
}

export const whatsappCloudProvider = defineProvider({
  name: 'whatsapp-cloud',
  technologies: ['whatsapp'],
  settings: WhatsappCloudSettings,
  create: (settings, _events, deps): Provider => ({
    send: (message) => send(settings, deps, message),
    close: async () => undefined,
  }),
  webhook: parseWhatsappWebhook,
});
