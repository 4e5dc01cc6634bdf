/**
 * What a message's state changes and arrivals tell the business's outbound webhooks. Written
 * in the transaction of the change, so a webhook is sent exactly when the change happened.
 */
import { publicIdsOf } from '../business/installation.service.js';
import type { PublicIds } from '../shared/public-ids.js';
import type { TenantContext } from '../shared/tenant.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';
import { parseContent, type MessageRow, type MessageState } from './messages.model.js';

/** The message as receivers read it: ids are public ids, as the API shows them. */
export function messageEventData(row: MessageRow, ids: PublicIds) {
  const content = parseContent(row.content);
  return {
    id: ids.encode('message', row.id),
    type: 'message' as const,
    direction: row.direction,
    state: row.state,
    technology: row.technology,
    channel: row.channel_id === null ? null : ids.encode('channel', row.channel_id),
    profile: row.profile_id === null ? null : ids.encode('profile', row.profile_id),
    template: row.template_id === null ? null : ids.encode('template', row.template_id),
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
  await emitWebhookEvent(trx, 'message.state_changed', async () => ({ previous_state: previous, message: messageEventData(row, await publicIdsOf(trx)) }));
}

export async function emitReceived(trx: TenantContext, row: MessageRow): Promise<void> {
  await emitWebhookEvent(trx, 'message.received', async () => ({ message: messageEventData(row, await publicIdsOf(trx)) }));
}
