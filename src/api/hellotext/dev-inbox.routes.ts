import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listDevInbox, simulateInbound } from '../../core/messaging/dev-inbox.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody } from './audience.schema.js';
import { bodyOf, textField } from './body-fields.js';
import { devInboxEntryObject, messageObject } from './messages.mappers.js';
import { DevInboxEntryObject, MessageObject } from './messages.schema.js';

const tags = ['Hellotext: dev inbox (extension)'];

/** `/v1/dev/inbox`: what dev-inbox channels sent, and customers' messages simulated on them. */
export const devInboxRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);

  app.get(
    '/dev/inbox',
    {
      schema: {
        summary: 'List what dev-inbox channels sent, newest first',
        description: 'Each message with the copy dev-inbox recorded: the rendered text and, for email, the header lines and the HTML and text parts. Cursors are message ids.',
        tags,
        querystring: Type.Intersect([PaginationQuery, Type.Object({ destination: Type.Optional(Type.String({ description: 'Only what went to this address.' })) })]),
        response: { 200: Type.Object({ messages: Type.Array(DevInboxEntryObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'message'), (bounds) => listDevInbox(scoped, bounds, request.query.destination));
      return { messages: page.map((entry) => devInboxEntryObject(entry, ids)) };
    },
  );

  app.post(
    '/dev/inbox/inbound',
    {
      schema: {
        summary: 'Simulate a customer’s message on a dev-inbox channel',
        description:
          '`channel` (a dev-inbox channel’s id), `from` (the customer’s number or address), `body`. Stored and answered as a provider webhook’s would be: the profile is found or created, the conversation and the WhatsApp window open, STOP/START are obeyed. Answers the received message.',
        tags,
        body: Type.Optional(AnyBody),
        response: { 201: MessageObject },
      },
    },
    async (request, reply) => {
      const body = bodyOf(request.body);
      const channel = textField(body, 'channel') ?? undefined;
      const input = {
        channelId: channel === undefined || channel === '' ? undefined : ids.require('channel', channel, 'Channel', 'channel'),
        from: textField(body, 'from') ?? undefined,
        body: textField(body, 'body') ?? undefined,
      };
      return reply.code(201).send(messageObject(await simulateInbound(tenant(request), input), ids));
    },
  );
};
