/**
 * A message as the core sees it, and the JSON of its `content` column: what the provider is
 * handed beyond the text (attachments, email headers, a WhatsApp template) and, for dev-inbox,
 * the copy of what would have been sent.
 */
import type { Selectable } from 'kysely';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { MessageDirection, MessagesTable, MessageState, Technology } from '../../store/tables.js';

export type { MessageDirection, MessageState } from '../../store/tables.js';
export type MessageRow = Selectable<MessagesTable>;

const Attachment = Type.Object({
  url: Type.String(),
  content_type: Type.String(),
  filename: Type.Optional(Type.String()),
});

const OutboundTemplate = Type.Object({
  name: Type.String(),
  language: Type.String(),
  components: Type.Array(Type.Unknown()),
});

/** What dev-inbox records of a send: the message as the peer would have received it. */
export const SentCopy = Type.Object({
  from: Type.String(),
  to: Type.String(),
  body: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  html: Type.Union([Type.String(), Type.Null()]),
  /** Email only: the header lines of the mail, in order. */
  headers: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
  attachments: Type.Array(Attachment),
  template: Type.Union([OutboundTemplate, Type.Null()]),
  sent_at: Type.Integer(),
});

const InboundMedia = Type.Object({
  url: Type.Optional(Type.String()),
  media_id: Type.Optional(Type.String()),
  content_type: Type.String(),
  filename: Type.Optional(Type.String()),
});

export const MessageContent = Type.Object({
  attachments: Type.Optional(Type.Array(Attachment)),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  template: Type.Optional(OutboundTemplate),
  media: Type.Optional(Type.Array(InboundMedia)),
  profile_name: Type.Optional(Type.String()),
  sent: Type.Optional(SentCopy),
});

export type MessageContent = Static<typeof MessageContent>;
export type MessageAttachment = Static<typeof Attachment>;
export type SentCopy = Static<typeof SentCopy>;

export interface Message {
  readonly id: number;
  readonly profileId: number | null;
  readonly channelId: number | null;
  readonly templateId: number | null;
  readonly campaignId: number | null;
  readonly direction: MessageDirection;
  readonly technology: Technology;
  readonly origin: string;
  readonly destination: string;
  readonly body: string;
  readonly subject: string | null;
  readonly html: string | null;
  readonly content: MessageContent;
  readonly state: MessageState;
  readonly failureReason: string | null;
  readonly providerId: string | null;
  readonly transactional: boolean;
  readonly createdAt: number;
  readonly routedAt: number | null;
  readonly deliveredAt: number | null;
  readonly failedAt: number | null;
  readonly receivedAt: number | null;
}

/** Stored content that fails its schema is a bug: read what can be read rather than fail a listing. */
export function parseContent(text: string): MessageContent {
  // Most messages carry nothing beyond their body: skip parsing and checking.
  if (text === '{}') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  return Value.Check(MessageContent, value) ? value : {};
}

export const contentJson = (content: MessageContent): string => JSON.stringify(content);

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    profileId: row.profile_id,
    channelId: row.channel_id,
    templateId: row.template_id,
    campaignId: row.campaign_id,
    direction: row.direction,
    technology: row.technology,
    origin: row.origin,
    destination: row.destination,
    body: row.body,
    subject: row.subject,
    html: row.html,
    content: parseContent(row.content),
    state: row.state,
    failureReason: row.failure_reason,
    providerId: row.provider_id,
    transactional: row.transactional === 1,
    createdAt: row.created_at,
    routedAt: row.routed_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    receivedAt: row.received_at,
  };
}

/** Length limits of the reference, in characters (code points), per technology. */
export const BODY_LIMITS: Readonly<Record<Technology, number>> = {
  sms: 160,
  whatsapp: 4096,
  instagram: 1000,
  mercadolibre: 350,
  // Not Hellotext's: an email's text part, bounded so one message cannot fill the database.
  email: 1_000_000,
};

/** The customer service window and the open conversation: both 24 hours after the profile last wrote. */
export const WINDOW_SECONDS = 24 * 60 * 60;

/** Characters as people count them (a code point each), not UTF-16 units. */
export const characterCount = (text: string): number => [...text].length;
