/**
 * WhatsApp Cloud webhooks: Meta's GET verification of the callback URL, and signed POSTs
 * carrying message statuses (our receipts), customers' messages and the review of templates
 * (`message_template_status_update`). `message_template_quality_update` and
 * `template_category_update` are acknowledged and ignored: a quality drop that matters arrives
 * as a PAUSED status, and we submit every template in the category we keep.
 *
 * Meta calls one URL per app. When one app serves several numbers (channels), events for all
 * of them arrive at that URL: statuses are matched by message id (global), inbound messages
 * carry our number in `to` for the engine to pick the channel.
 */

import { createHmac } from 'node:crypto';
import { arrayField, isRecord, parseJson, stringField } from './json.js';
import type { InboundMedia, InboundMessage, Receipt, ReceiptState, TemplateStatusUpdate, WebhookRequest, WebhookResult } from './provider.js';
import { header, safeEqual } from './webhook-verify.js';
import type { WhatsappCloudSettings } from './whatsapp-cloud.provider.js';

const STATUS_STATES: Readonly<Record<string, ReceiptState>> = { sent: 'sent', delivered: 'delivered', read: 'delivered', failed: 'failed' };
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const OK = { status: 200, contentType: 'text/plain', body: '' };

function verifySubscription(settings: WhatsappCloudSettings, request: WebhookRequest): WebhookResult {
  const mode = request.query['hub.mode'];
  const token = request.query['hub.verify_token'] ?? '';
  const challenge = request.query['hub.challenge'];
  if (mode !== 'subscribe' || challenge === undefined) return { kind: 'rejected', status: 400, reason: 'not a subscription request' };
  if (!safeEqual(token, settings.verifyToken)) return { kind: 'rejected', status: 403, reason: 'hub.verify_token does not match' };
  return { kind: 'handled', receipts: [], inbound: [], reply: { status: 200, contentType: 'text/plain', body: challenge } };
}

/** Meta's epoch-seconds timestamp in milliseconds, or the time we received the webhook. */
function timeOf(value: unknown, fallback: number): number {
  const seconds = Number(stringField(value, 'timestamp'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback;
}

function phone(digits: string | undefined): string {
  const value = (digits ?? '').replace(/[^\d]/g, '');
  return value ? `+${value}` : '';
}

function receiptOf(status: unknown, receivedAt: number): Receipt | undefined {
  const providerId = stringField(status, 'id');
  const state = STATUS_STATES[stringField(status, 'status') ?? ''];
  if (!providerId || !state) return undefined;
  const [error] = arrayField(status, 'errors');
  const code = stringField(error, 'code');
  const details = stringField(isRecord(error) ? error.error_data : undefined, 'details');
  const reason = state === 'failed' ? [code, stringField(error, 'title') ?? stringField(error, 'message'), details].filter(Boolean).join(' ') || 'failed' : undefined;
  const echoed = Number(stringField(status, 'biz_opaque_callback_data'));
  return {
    providerId,
    state,
    at: timeOf(status, receivedAt),
    ...(reason ? { reason } : {}),
    ...(Number.isSafeInteger(echoed) && echoed > 0 ? { messageId: echoed } : {}),
  };
}

/** The text of a customer's message of any type, and its media. */
function contentOf(message: Record<string, unknown>, type: string): { body: string; media: InboundMedia[] } {
  const part = message[type];
  if (type === 'text') return { body: stringField(part, 'body') ?? '', media: [] };
  if (MEDIA_TYPES.has(type)) {
    const mediaId = stringField(part, 'id');
    const filename = stringField(part, 'filename');
    const media: InboundMedia[] = mediaId ? [{ mediaId, contentType: stringField(part, 'mime_type') ?? 'application/octet-stream', ...(filename ? { filename } : {}) }] : [];
    return { body: stringField(part, 'caption') ?? '', media };
  }
  if (type === 'button') return { body: stringField(part, 'text') ?? '', media: [] };
  if (type === 'interactive' && isRecord(part)) return { body: stringField(part.button_reply, 'title') ?? stringField(part.list_reply, 'title') ?? '', media: [] };
  if (type === 'reaction') return { body: stringField(part, 'emoji') ?? '', media: [] };
  if (type === 'location') {
    const place = [stringField(part, 'name'), stringField(part, 'address'), `${stringField(part, 'latitude') ?? ''},${stringField(part, 'longitude') ?? ''}`];
    return { body: place.filter((piece) => piece && piece !== ',').join(' '), media: [] };
  }
  // Types we cannot show still count: any message opens the customer service window.
  return { body: '', media: [] };
}

function inboundOf(message: unknown, to: string, names: ReadonlyMap<string, string>, receivedAt: number): InboundMessage | undefined {
  const providerId = stringField(message, 'id');
  const from = stringField(message, 'from');
  if (!providerId || !from || !isRecord(message)) return undefined;
  const { body, media } = contentOf(message, stringField(message, 'type') ?? '');
  const profileName = names.get(from);
  return { providerId, from: phone(from), to, body, at: timeOf(message, receivedAt), ...(media.length ? { media } : {}), ...(profileName ? { profileName } : {}) };
}

function templateUpdateOf(value: unknown): TemplateStatusUpdate | undefined {
  const providerTemplateId = stringField(value, 'message_template_id');
  const event = stringField(value, 'event')?.toUpperCase();
  if (!providerTemplateId || !event) return undefined;
  const name = stringField(value, 'message_template_name');
  const language = stringField(value, 'message_template_language');
  // PAUSED and DISABLED explain themselves in other_info ({title, description}).
  const info = isRecord(value) ? value.other_info : undefined;
  const explained = [stringField(value, 'reason'), stringField(info, 'title'), stringField(info, 'description')].filter((part) => part && part !== 'NONE');
  return { providerTemplateId, event, ...(name ? { name } : {}), ...(language ? { language } : {}), ...(explained.length > 0 ? { reason: explained.join(': ') } : {}) };
}

export function parseWhatsappWebhook(settings: WhatsappCloudSettings, request: WebhookRequest): WebhookResult {
  if (request.method === 'GET') return verifySubscription(settings, request);
  if (request.method !== 'POST') return { kind: 'rejected', status: 405, reason: 'whatsapp-cloud webhooks are GET or POST requests' };
  const signature = header(request, 'x-hub-signature-256');
  if (!signature) return { kind: 'rejected', status: 401, reason: 'missing X-Hub-Signature-256' };
  const expected = `sha256=${createHmac('sha256', settings.appSecret).update(request.rawBody).digest('hex')}`;
  if (!safeEqual(expected, signature.trim().toLowerCase())) return { kind: 'rejected', status: 403, reason: 'X-Hub-Signature-256 does not match' };

  const payload = parseJson(request.rawBody);
  if (!isRecord(payload)) return { kind: 'rejected', status: 400, reason: 'body is not a JSON object' };
  const receipts: Receipt[] = [];
  const inbound: InboundMessage[] = [];
  const templateUpdates: TemplateStatusUpdate[] = [];
  for (const entry of arrayField(payload, 'entry')) {
    for (const change of arrayField(entry, 'changes')) {
      if (!isRecord(change)) continue;
      if (stringField(change, 'field') === 'message_template_status_update') {
        const update = templateUpdateOf(change.value);
        if (update) templateUpdates.push(update);
        continue;
      }
      if (stringField(change, 'field') !== 'messages') continue;
      const value = change.value;
      const to = phone(stringField(isRecord(value) ? value.metadata : undefined, 'display_phone_number'));
      const names = new Map<string, string>();
      for (const contact of arrayField(value, 'contacts')) {
        const waId = stringField(contact, 'wa_id');
        const name = stringField(isRecord(contact) ? contact.profile : undefined, 'name');
        if (waId && name) names.set(waId, name);
      }
      for (const status of arrayField(value, 'statuses')) {
        const receipt = receiptOf(status, request.receivedAt);
        if (receipt) receipts.push(receipt);
      }
      for (const message of arrayField(value, 'messages')) {
        const parsed = inboundOf(message, to, names, request.receivedAt);
        if (parsed) inbound.push(parsed);
      }
    }
  }
  return { kind: 'handled', receipts, inbound, templateUpdates, reply: OK };
}
