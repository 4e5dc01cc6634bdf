import { Type, type Static } from 'typebox';

/**
 * The Message object of the Hellotext reference, shared by every route that answers
 * messages (the message engine's /v1/messages and the inbox's conversations).
 */

export const MessageState = Type.Union([Type.Literal('pending'), Type.Literal('routed'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('received')]);

export const MessageTechnology = Type.Union([Type.Literal('sms'), Type.Literal('whatsapp'), Type.Literal('instagram'), Type.Literal('mercadolibre'), Type.Literal('email')]);

export const MessageObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('message'),
  attachments: Type.Array(Type.String()),
  body: Type.String(),
  created_at: Type.Integer(),
  delivered_at: Type.Union([Type.Integer(), Type.Null()]),
  destination: Type.String(),
  failed_at: Type.Union([Type.Integer(), Type.Null()]),
  origin: Type.String(),
  profile: Type.Union([Type.String(), Type.Null()]),
  received_at: Type.Union([Type.Integer(), Type.Null()], { description: 'Set on messages the profile sent to the business.' }),
  routed_at: Type.Union([Type.Integer(), Type.Null()]),
  state: MessageState,
  technology: MessageTechnology,
  template: Type.Union([Type.String(), Type.Null()]),
  // Extensions beyond the reference:
  direction: Type.Optional(Type.Union([Type.Literal('outbound'), Type.Literal('inbound')], { description: 'Extension: outbound (business to profile) or inbound.' })),
  channel: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Extension: the channel it went through or came in on (null once deleted).' })),
  failure_reason: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Extension: why a failed message failed.' })),
  transactional: Type.Optional(Type.Boolean({ description: 'Extension: sent as transactional (bypasses subscription, never a block or a suppression).' })),
  subject: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Extension: email only.' })),
  html: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Extension: email only, the HTML part.' })),
});

/** What `/v1/dev/inbox` lists: a message dev-inbox took, with the copy it recorded. */
export const DevInboxEntryObject = Type.Object({
  id: Type.String({ description: 'The message’s id.' }),
  type: Type.Literal('dev_inbox_entry'),
  message: MessageObject,
  sent: Type.Union([
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      body: Type.String({ description: 'The rendered text (for email: the text part).' }),
      subject: Type.Union([Type.String(), Type.Null()]),
      html: Type.Union([Type.String(), Type.Null()]),
      headers: Type.Array(Type.Object({ name: Type.String(), value: Type.String() }), { description: 'Email: the header lines of the mail.' }),
      attachments: Type.Array(Type.Object({ url: Type.String(), content_type: Type.String(), filename: Type.Optional(Type.String()) })),
      template: Type.Union([Type.Object({ name: Type.String(), language: Type.String(), components: Type.Array(Type.Unknown()) }), Type.Null()]),
      sent_at: Type.Integer(),
    }),
    Type.Null(),
  ]),
});

export type DevInboxEntryObject = Static<typeof DevInboxEntryObject>;

export const MessageListQuery = Type.Object({
  profile: Type.Optional(Type.String({ description: 'Extension: only this profile’s messages.' })),
  state: Type.Optional(Type.String({ description: 'Extension: only messages in this state.' })),
  technology: Type.Optional(Type.String({ description: 'Extension: only messages of this technology.' })),
});

export type MessageObject = Static<typeof MessageObject>;
