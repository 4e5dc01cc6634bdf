import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { getMessage, listMessages, sendMessage } from '../../core/messaging/messages.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, IdParams } from './audience.schema.js';
import { messageObject } from './messages.mappers.js';
import { sendInputFrom } from './messages.params.js';
import { MessageListQuery, MessageObject } from './messages.schema.js';

const tags = ['Hellotext: messages'];

const SEND =
  'A free-form `body` or a `template` (its id, or `{id, shortlinks}`) to `profile`, through `origin`/`technology` when given, else the best reachable channel (WhatsApp, Instagram, SMS). Extensions: `transactional` (bypasses subscription, never a block or a suppression), and for `technology=email` `subject`, `html`, `headers`. Answers the message `pending`; a job sends it.';

/** `/v1/messages`: send one message, retrieve one, list them newest first. */
export const messageRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);

  app.post('/messages', { schema: { summary: 'Send a message', description: SEND, tags, body: Type.Optional(AnyBody), response: { 201: MessageObject } } }, async (request, reply) =>
    reply.code(201).send(messageObject(await sendMessage(tenant(request), sendInputFrom(request.body, ids)), ids)),
  );

  app.get('/messages/:id', { schema: { summary: 'Retrieve a message', tags, params: IdParams, response: { 200: MessageObject } } }, async (request) =>
    messageObject(await getMessage(tenant(request), ids.require('message', request.params.id, 'Message')), ids),
  );

  app.get(
    '/messages',
    {
      schema: {
        summary: 'List all messages',
        tags,
        querystring: Type.Intersect([PaginationQuery, MessageListQuery]),
        response: { 200: Type.Object({ messages: Type.Array(MessageObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const { profile, state, technology } = request.query;
      const filter = { profileGiven: profile !== undefined && profile !== '', profileId: profile ? ids.decode('profile', profile) : undefined, state, technology };
      const page = await pageByKey(pageRequest(request.query, ids, 'message'), (bounds) => listMessages(scoped, bounds, filter));
      return { messages: page.map((message) => messageObject(message, ids)) };
    },
  );
};
