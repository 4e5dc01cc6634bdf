import type { DevInboxEntry } from '../../core/messaging/dev-inbox.service.js';
import type { Message } from '../../core/messaging/messages.model.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { DevInboxEntryObject, MessageObject } from './messages.schema.js';

export function messageObject(message: Message, ids: PublicIds): MessageObject {
  return {
    id: ids.encode('message', message.id),
    type: 'message',
    attachments: (message.content.attachments ?? []).map((attachment) => attachment.url),
    body: message.body,
    created_at: message.createdAt,
    delivered_at: message.deliveredAt,
    destination: message.destination,
    failed_at: message.failedAt,
    origin: message.origin,
    profile: message.profileId === null ? null : ids.encode('profile', message.profileId),
    received_at: message.receivedAt,
    routed_at: message.routedAt,
    state: message.state,
    technology: message.technology,
    template: message.templateId === null ? null : ids.encode('template', message.templateId),
    direction: message.direction,
    channel: message.channelId === null ? null : ids.encode('channel', message.channelId),
    failure_reason: message.failureReason,
    transactional: message.transactional,
    subject: message.subject,
    html: message.html,
  };
}

export function devInboxEntryObject(entry: DevInboxEntry, ids: PublicIds): DevInboxEntryObject {
  const message = messageObject(entry.message, ids);
  const sent = entry.sent;
  return {
    id: message.id,
    type: 'dev_inbox_entry',
    message,
    sent: sent
      ? {
          from: sent.from,
          to: sent.to,
          body: sent.body,
          subject: sent.subject,
          html: sent.html,
          headers: sent.headers,
          attachments: sent.attachments,
          template: sent.template,
          sent_at: sent.sent_at,
        }
      : null,
  };
}
