import type { Webhook, WebhookDelivery, WebhookWithSecret } from '../../core/webhooks/webhooks.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { WebhookDeliveryObject, WebhookObject, WebhookWithSecretObject } from './webhooks.schema.js';

export const webhookObject = (webhook: Webhook, ids: PublicIds): WebhookObject => ({
  id: ids.encode('webhook', webhook.id),
  type: 'webhook',
  url: webhook.url,
  events: [...webhook.events],
  active: webhook.active,
  created_at: webhook.createdAt,
  updated_at: webhook.updatedAt,
});

export const webhookWithSecretObject = (created: WebhookWithSecret, ids: PublicIds): WebhookWithSecretObject => ({ ...webhookObject(created.webhook, ids), secret: created.secret });

export const webhookDeliveryObject = (delivery: WebhookDelivery, ids: PublicIds): WebhookDeliveryObject => ({
  id: ids.encode('webhook_delivery', delivery.id),
  type: 'webhook_delivery',
  webhook: ids.encode('webhook', delivery.webhookId),
  uuid: delivery.uuid,
  event: delivery.event,
  state: delivery.state,
  attempts: delivery.attempts,
  response_status: delivery.responseStatus,
  last_error: delivery.lastError,
  payload: delivery.payload,
  created_at: delivery.createdAt,
  delivered_at: delivery.deliveredAt,
});
