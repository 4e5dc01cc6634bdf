import type { ColumnType, Generated } from 'kysely';
import type { Flag } from '../tables.js';

/** Row types of messaging: channels, templates, media, messages, short links, webhooks. */

export type Technology = 'sms' | 'whatsapp' | 'instagram' | 'mercadolibre' | 'email';

export interface ChannelsTable {
  id: Generated<number>;
  business_id: number;
  technology: Technology;
  origin: string;
  provider: string;
  /** JSON text; secrets included, never answered by the API. */
  settings: string;
  /** Messages per second. */
  rate: number;
  /** Epoch ms of the next free send slot, shared by every process. */
  next_slot_ms: ColumnType<number, number | undefined, number>;
  active: Flag;
  created_at: number;
  updated_at: number;
}

export type TemplateTechnology = 'any' | 'sms' | 'whatsapp';
export type TemplateState = 'approved' | 'pending' | 'rejected' | 'paused';

export interface TemplatesTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  technology: TemplateTechnology;
  body: string;
  /** JSON text of the header component, or null. */
  header: string | null;
  footer: string | null;
  /** JSON array of buttons. */
  buttons: string;
  language: string | null;
  category: string | null;
  state: TemplateState;
  state_reason: string | null;
  /** Goes through WhatsApp's review (technology whatsapp, or any while WhatsApp was integrated). */
  targets_whatsapp: Flag;
  provider_template_id: string | null;
  /** The name WhatsApp knows it by (lower-case letters, digits, underscores); fixed once submitted. */
  provider_template_name: string | null;
  /** When this version was taken for WhatsApp review; an edit clears it. */
  submitted_at: number | null;
  edited_at: number | null;
  approved_at: number | null;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export type MediaState = 'pending' | 'ready' | 'failed';

export interface MediaTable {
  id: Generated<number>;
  business_id: number;
  source_url: string;
  state: MediaState;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  path: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export type MessageDirection = 'outbound' | 'inbound';
export type MessageState = 'pending' | 'routed' | 'delivered' | 'failed' | 'received';

export interface MessagesTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number | null;
  channel_id: number | null;
  template_id: number | null;
  campaign_id: number | null;
  direction: MessageDirection;
  technology: Technology;
  origin: string;
  destination: string;
  body: string;
  subject: string | null;
  html: string | null;
  /** JSON text: attachments, template parameters, headers. */
  content: string;
  state: MessageState;
  failure_reason: string | null;
  provider_id: string | null;
  transactional: Flag;
  created_at: number;
  updated_at: number;
  routed_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  received_at: number | null;
}

export interface ShortLinksTable {
  id: Generated<number>;
  business_id: number;
  code: string;
  destination: string;
  message_id: number | null;
  profile_id: number | null;
  campaign_id: number | null;
  clicks: ColumnType<number, number | undefined, number>;
  created_at: number;
}

export interface WebhooksTable {
  id: Generated<number>;
  business_id: number;
  url: string;
  secret: string;
  /** JSON array of event names. */
  events: string;
  active: Flag;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  business_id: number;
  webhook_id: number;
  /** Random; the X-Hellohub-Delivery header, the same on every retry. */
  uuid: string;
  event: string;
  payload: string;
  state: WebhookDeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  response_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}
