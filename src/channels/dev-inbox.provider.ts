/**
 * dev-inbox: the default provider of every technology. It sends nothing; it records what a
 * real peer would have received (for email: the header lines, the text and the HTML part) and
 * the engine marks the message delivered at once, so a fresh installation works offline and
 * `/v1/dev/inbox` shows every message.
 *
 * Idempotent by construction: the provider id is derived from our message id and a record of
 * the same message replaces the previous one, so a retry after a crash is one message.
 */

import { messageIdFor } from './smtp.provider.js';
import type { OutboundMessage, OutboundTemplate, Provider, SendOutcome } from './provider.js';

export const DEV_INBOX_ID_PREFIX = 'dev-inbox:';

export interface DevInboxRecord {
  readonly messageId: number;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly subject: string | null;
  readonly html: string | null;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly attachments: ReadonlyArray<{ readonly url: string; readonly contentType: string; readonly filename?: string }>;
  readonly template: OutboundTemplate | null;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** The header lines an SMTP peer would see, in the order nodemailer writes them. */
function emailHeaders(message: OutboundMessage, at: number): Array<{ name: string; value: string }> {
  const given = Object.entries(message.headers ?? {});
  const messageId = given.find(([name]) => name.toLowerCase() === 'message-id')?.[1] ?? messageIdFor(message.id, message.from);
  const multipart = message.html !== undefined || (message.attachments?.length ?? 0) > 0;
  return [
    { name: 'From', value: message.from },
    { name: 'To', value: message.to },
    { name: 'Subject', value: message.subject ?? '' },
    { name: 'Message-ID', value: messageId },
    { name: 'Date', value: new Date(at).toUTCString() },
    { name: 'MIME-Version', value: '1.0' },
    ...given.filter(([name]) => name.toLowerCase() !== 'message-id').map(([name, value]) => ({ name, value })),
    { name: 'Content-Type', value: multipart ? 'multipart/alternative' : 'text/plain; charset=utf-8' },
  ];
}

export function devInboxProvider(record: (entry: DevInboxRecord) => Promise<void>, now: () => number): Provider {
  return {
    async send(message): Promise<SendOutcome> {
      const at = now();
      const email = message.technology === 'email';
      await record({
        messageId: message.id,
        from: message.from,
        to: message.to,
        body: message.body,
        subject: email ? (message.subject ?? '') : null,
        html: email ? (message.html ?? null) : null,
        headers: email ? emailHeaders(message, at) : [],
        attachments: (message.attachments ?? []).flatMap((attachment) =>
          attachment.url ? [{ url: attachment.url, contentType: attachment.contentType, ...(attachment.filename ? { filename: attachment.filename } : {}) }] : [],
        ),
        template: message.template ?? null,
        at,
      });
      return { kind: 'accepted', providerId: `${DEV_INBOX_ID_PREFIX}${message.id}` };
    },
    close: async () => undefined,
  };
}
