/**
 * The one contract between the messaging engine and a delivery provider (SMTP, SMPP, an HTTP
 * SMS gateway, WhatsApp Cloud). The engine owns the database, jobs, retries and webhook routes;
 * a provider only talks to its peer and translates: a send into one outcome, a receipt or an
 * inbound message into plain objects. Nothing here touches the database.
 */

import type { Logger } from 'pino';
import type { Clock } from '../core/shared/clock.js';
import type { AddressPolicy } from '../net/address-policy.js';
import type { OutboundClient, Resolve } from '../net/outbound-client.js';

export type Technology = 'sms' | 'whatsapp' | 'instagram' | 'mercadolibre' | 'email';

export interface OutboundAttachment {
  /** Fetched by the provider through the guarded client (email) or handed to the peer as a link (MMS, WhatsApp). */
  readonly url?: string;
  /** Bytes already downloaded by the engine; only email can carry them. */
  readonly content?: Buffer;
  readonly contentType: string;
  readonly filename?: string;
}

export interface OutboundTemplate {
  readonly name: string;
  /** BCP 47-ish code as WhatsApp names it: `en_US`, `es`. */
  readonly language: string;
  /** The provider's component objects (header/body/button parameters), passed through as given. */
  readonly components: readonly unknown[];
}

export interface OutboundMessage {
  /**
   * Our message id. Stable across retries, so every provider derives what it can from it: the
   * SMTP Message-ID, WhatsApp's `biz_opaque_callback_data` (echoed back on receipts).
   */
  readonly id: number;
  readonly technology: Technology;
  /** The channel's origin: E.164 number or alphanumeric sender id, WhatsApp number, email address. */
  readonly from: string;
  /** E.164 phone number (SMS, WhatsApp) or email address. */
  readonly to: string;
  /** The text (SMS, WhatsApp) or the text part (email). */
  readonly body: string;
  readonly subject?: string;
  readonly html?: string;
  /** Extra email headers; a `Message-ID` given here replaces the derived one. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly attachments?: readonly OutboundAttachment[];
  /** WhatsApp template message; `body` is then only what the engine shows in its own records. */
  readonly template?: OutboundTemplate;
  /** Where the peer posts delivery receipts for this message (http-sms); the engine's public hook URL. */
  readonly statusCallbackUrl?: string;
}

/**
 * What one send attempt came to. `retryable`: nothing was sent, or we cannot know and the peer
 * says trying again is right (timeouts); `permanent`: sending it again would fail the same way.
 */
export type SendOutcome =
  | { readonly kind: 'accepted'; readonly providerId: string }
  | { readonly kind: 'retryable'; readonly reason: string; readonly retryAfterMs?: number }
  /** `code`: the peer's own error code when it gave one (`131047`, `ESME_RINVDSTADR`, `550`), for logs and rules. */
  | { readonly kind: 'permanent'; readonly reason: string; readonly code?: string };

export type ReceiptState = 'sent' | 'delivered' | 'failed';

export interface Receipt {
  /** The id `send` returned as `providerId`. */
  readonly providerId: string;
  /**
   * Our message id when the peer echoes it back (WhatsApp), so a receipt can be matched even
   * when the process died between the hand-off and recording the provider id.
   */
  readonly messageId?: number;
  /** `sent`: the peer handed it on; `delivered`: it reached the handset or mailbox (WhatsApp `read` counts). */
  readonly state: ReceiptState;
  readonly reason?: string;
  /** Epoch milliseconds: the peer's time when it gives one, else when we received the receipt. */
  readonly at: number;
}

export interface InboundMedia {
  /** Reachable link (Twilio MediaUrlN); absent when the peer gives only an id. */
  readonly url?: string;
  /** The peer's media id, to be downloaded with the channel's credentials (WhatsApp). */
  readonly mediaId?: string;
  readonly contentType: string;
  readonly filename?: string;
}

export interface InboundMessage {
  /** The peer's id for the message: the engine's deduplication key, since peers redeliver. */
  readonly providerId: string;
  /** The customer: E.164 number (with `+`) or whatever address the peer uses. */
  readonly from: string;
  /** Our number or address it was sent to; lets the engine check it belongs to the channel. */
  readonly to: string;
  readonly body: string;
  readonly media?: readonly InboundMedia[];
  /** The name the customer's app shows, when the peer tells it (WhatsApp profile name). */
  readonly profileName?: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/**
 * How a connection-holding provider (SMPP) hands over what arrives on its connection. Each
 * promise resolves once the engine has stored the item; only then does the provider acknowledge
 * it to the peer, so a crash before storing makes the peer deliver it again. A rejection makes
 * the provider answer with a temporary error, which asks the peer to redeliver.
 */
export interface ProviderEvents {
  receipt(receipt: Receipt): Promise<void>;
  inbound(message: InboundMessage): Promise<void>;
}

export interface Provider {
  /**
   * Hands one message to the peer. Resolves for every failure the peer or the network can cause,
   * always within the provider's time limit; a rejection is a bug in our code.
   */
  send(message: OutboundMessage): Promise<SendOutcome>;
  /** Stops reconnecting, lets sends in flight finish or time out, and closes every connection. */
  close(): Promise<void>;
}

export interface ProviderDeps {
  readonly logger: Logger;
  /**
   * The guarded HTTP client (src/net/outbound-client.ts) for the HTTP providers and for email
   * attachments given by URL; tests pass one with ALLOW_PRIVATE_URLS semantics.
   */
  readonly outbound: Pick<OutboundClient, 'fetch'>;
  /**
   * The same address rule for the providers that open TCP connections themselves (SMTP, SMPP):
   * their host comes from a tenant, and must not reach our private network either.
   */
  readonly addressPolicy: AddressPolicy;
  /** Replaces the system resolver for those connections; tests map names to local addresses. */
  readonly resolve?: Resolve;
  readonly clock: Clock;
}

/** A provider webhook as the engine's route received it, body unparsed (signatures cover raw bytes). */
export interface WebhookRequest {
  readonly method: string;
  /** Node's incoming headers: lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly query: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  /**
   * The absolute URL the peer called, as the peer saw it (scheme, public host, path and query),
   * built from the configured public URL rather than from the Host header: Twilio signs it.
   */
  readonly url: string;
  /** Epoch milliseconds; the time of receipts and inbound messages whose peer gives none. */
  readonly receivedAt: number;
}

export interface WebhookReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A provider's word on a message template it reviews (WhatsApp Cloud's
 * `message_template_status_update`). `event` as the provider names it: APPROVED, REJECTED,
 * PAUSED, DISABLED, REINSTATED, …; the engine decides which move a template.
 */
export interface TemplateStatusUpdate {
  /** The provider's template id, as the submission answered it. */
  readonly providerTemplateId: string;
  readonly event: string;
  readonly name?: string;
  readonly language?: string;
  readonly reason?: string;
}

/**
 * `handled`: verified; the engine stores the receipts and inbound messages, then answers with
 * `reply` (answering 5xx instead when storing fails, so the peer retries). `rejected`: answered
 * as is, nothing stored.
 */
export type WebhookResult =
  | { readonly kind: 'rejected'; readonly status: 400 | 401 | 403 | 404 | 405; readonly reason: string }
  | {
      readonly kind: 'handled';
      readonly receipts: readonly Receipt[];
      readonly inbound: readonly InboundMessage[];
      /** Template reviews (WhatsApp Cloud); absent for providers that review none. */
      readonly templateUpdates?: readonly TemplateStatusUpdate[];
      readonly reply: WebhookReply;
    };
