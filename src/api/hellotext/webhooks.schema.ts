import { Type, type Static } from 'typebox';

/** Wire shapes of outbound webhooks (our extension of the Hellotext API). */

const WebhookEventName = Type.Union([Type.Literal('message.state_changed'), Type.Literal('message.received')]);

const webhookFields = {
  id: Type.String(),
  type: Type.Literal('webhook'),
  url: Type.String(),
  events: Type.Array(WebhookEventName),
  active: Type.Boolean(),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
};

export const WebhookObject = Type.Object(webhookFields);

/** Create and rotate_secret only: the secret is never shown again. */
export const WebhookWithSecretObject = Type.Object({
  ...webhookFields,
  secret: Type.String({ description: 'The signing secret (HMAC-SHA256 key), shown only in this answer. See docs/webhooks.md.' }),
});

export const WebhookDeliveryObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('webhook_delivery'),
  webhook: Type.String(),
  uuid: Type.String({ description: 'Sent as X-Hellohub-Delivery and as the body’s `id`; the same on every attempt.' }),
  event: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  response_status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt; null when no answer came.' }),
  last_error: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'The `data` of the body sent.' }),
  created_at: Type.Integer(),
  delivered_at: Type.Union([Type.Integer(), Type.Null()]),
});

export type WebhookObject = Static<typeof WebhookObject>;
export type WebhookWithSecretObject = Static<typeof WebhookWithSecretObject>;
export type WebhookDeliveryObject = Static<typeof WebhookDeliveryObject>;
