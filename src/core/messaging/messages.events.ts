/**
 * What a message's state changes and arrivals tell the business's outbound webhooks. Written
 * in the transaction of the change, so a webhook is sent exactly when the change happened.
 */
import type { TenantContext } from '../shared/tenant.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';
import { parseContent, type MessageRow, type MessageState } from './messages.model.js';

/**
 * The message as receivers read it. The core has no public-id codec (it belongs to the HTTP
 * surfaces), so ids are our integer keys here; see docs/messaging.md.
 */
export function messageEventData(row: MessageRow) {
  const content = parseContent(row.content);
  return {
    id: row.id,
    type: 'message' as const,
    direction: row.direction,
    state: row.state,
    technology: row.technology,
    channel: row.channel_id,
    profile: row.profile_id,
    template: row.template_id,
    origin: row.origin,
    destination: row.destination,
    body: row.body,
    attachments: (content.attachments ?? []).map((attachment) => attachment.url),
    failure_reason: row.failure_reason,
    created_at: row.created_at,
    routed_at: row.routed_at,
    delivered_at: row.delivered_at,
    failed_at: row.failed_at,
    received_at: row.received_at,
  };
}

export async function emitStateChanged(trx: TenantContext, row: MessageRow, previous: MessageState): Promise<void> {
  if (row.state === previous) return;
  await emitWebhookEvent(trx, 'message.state_changed', () => ({ previous_state: previous, message: messageEventData(row) }));
}

export async function emitReceived(trx: TenantContext, row: MessageRow): Promise<void> {
  await emitWebhookEvent(trx, 'message.received', () => ({ message: messageEventData(row) }));
}
