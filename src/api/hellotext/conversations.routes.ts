import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { conversationMessages, excerpt, listConversations, type Conversation } from '../../core/messaging/conversations.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { SurfaceDeps } from '../http/surface.js';
import { messageObject } from './messages.mappers.js';
import { MessageObject, MessageState, MessageTechnology } from './messages.schema.js';

const tags = ['Hellotext: inbox (extension)'];

/** One line of the inbox: a profile's conversation. Its id is the profile's, as cursors are. */
const ConversationObject = Type.Object({
  id: Type.String({ description: 'The profile’s id: conversations are per profile.' }),
  type: Type.Literal('conversation'),
  profile: Type.String(),
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
  last_activity_at: Type.Integer({ description: 'The last message in or out, or non-passive event.' }),
  last_message: Type.Union([
    Type.Object({
      id: Type.String(),
      direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
      body: Type.String({ description: 'The first 140 characters.' }),
      state: MessageState,
      technology: MessageTechnology,
      created_at: Type.Integer(),
    }),
    Type.Null(),
  ]),
  counts: Type.Object({ messages: Type.Integer(), received: Type.Integer({ description: 'Inbound.' }), sent: Type.Integer({ description: 'Outbound.' }) }),
});

type ConversationObject = Static<typeof ConversationObject>;

const conversationObject = (conversation: Conversation, ids: PublicIds): ConversationObject => {
  const last = conversation.lastMessage;
  return {
    id: ids.encode('profile', conversation.profileId),
    type: 'conversation',
    profile: ids.encode('profile', conversation.profileId),
    first_name: conversation.firstName,
    last_name: conversation.lastName,
    last_activity_at: conversation.lastActivityAt,
    last_message: last && {
      id: ids.encode('message', last.id),
      direction: last.direction,
      body: excerpt(last.body),
      state: last.state,
      technology: last.technology,
      created_at: last.createdAt,
    },
    counts: { messages: conversation.inbound + conversation.outbound, received: conversation.inbound, sent: conversation.outbound },
  };
};

/** `/v1/conversations`: the dashboard's inbox. */
export const conversationRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);

  app.get(
    '/conversations',
    {
      schema: {
        summary: 'List conversations, most recent activity first',
        description: 'One per profile with messages or non-passive events. Cursors are profile ids (the conversations’ ids).',
        tags,
        querystring: PaginationQuery,
        response: { 200: Type.Object({ conversations: Type.Array(ConversationObject) }) },
      },
    },
    async (request) => {
      const conversations = await listConversations(tenant(request), pageRequest(request.query, ids, 'profile'));
      return { conversations: conversations.map((conversation) => conversationObject(conversation, ids)) };
    },
  );

  app.get(
    '/conversations/:profile/messages',
    {
      schema: {
        summary: 'List a profile’s messages in and out, newest first',
        tags,
        params: Type.Object({ profile: Type.String() }),
        querystring: PaginationQuery,
        response: { 200: Type.Object({ messages: Type.Array(MessageObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const profileId = ids.require('profile', request.params.profile, 'Profile', 'profile');
      const page = await pageByKey(pageRequest(request.query, ids, 'message'), (bounds) => conversationMessages(scoped, profileId, bounds));
      return { messages: page.map((message) => messageObject(message, ids)) };
    },
  );
};
