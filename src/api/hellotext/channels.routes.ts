import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from '../../core/messaging/channels.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { channelObject } from './channels.mappers.js';
import { channelInputFrom } from './channels.params.js';
import { ChannelListQuery, ChannelObject } from './channels.schema.js';

const tags = ['Hellotext: channels (extension)'];

const FIELDS =
  '`technology` (sms, whatsapp, instagram, mercadolibre, email), `origin`, `provider` (dev-inbox, smtp, smpp, http-sms, whatsapp-cloud; each carries its own technologies), `settings` (the provider’s, see docs/providers.md; secrets are write-only and kept when an update leaves them out), `rate` (messages per second, default 20), `active` (default true).';

/** `/v1/channels`: how a business's messages leave, one technology, origin and provider each. */
export const channelRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const channelId = (id: string) => ids.require('channel', id, 'Channel');
  const shown = (channel: Parameters<typeof channelObject>[0]) => channelObject(channel, ids, ctx.config.PUBLIC_URL);

  app.post(
    '/channels',
    { schema: { summary: 'Create a channel', description: FIELDS, tags, body: Type.Optional(AnyBody), response: { 201: ChannelObject } } },
    async (request, reply) => reply.code(201).send(shown(await createChannel(tenant(request), channelInputFrom(request.body)))),
  );

  app.get('/channels/:id', { schema: { summary: 'Retrieve a channel', tags, params: IdParams, response: { 200: ChannelObject } } }, async (request) =>
    shown(await getChannel(tenant(request), channelId(request.params.id))),
  );

  app.patch(
    '/channels/:id',
    { schema: { summary: 'Update a channel', description: `Changes what is given of ${FIELDS}`, tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: ChannelObject } } },
    async (request) => shown(await updateChannel(tenant(request), channelId(request.params.id), channelInputFrom(request.body))),
  );

  app.delete(
    '/channels/:id',
    { schema: { summary: 'Delete a channel', description: 'Its messages stay; those still pending fail.', tags, params: IdParams, response: { 200: Deleted('channel') } } },
    async (request) => {
      const deleted = await deleteChannel(tenant(request), channelId(request.params.id));
      return { id: ids.encode('channel', deleted.id), type: 'channel' as const, deleted: true as const };
    },
  );

  app.get(
    '/channels',
    {
      schema: {
        summary: 'List all channels',
        tags,
        querystring: Type.Intersect([PaginationQuery, ChannelListQuery]),
        response: { 200: Type.Object({ channels: Type.Array(ChannelObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'channel'), (bounds) => listChannels(scoped, bounds, request.query.technology || undefined));
      return { channels: page.map(shown) };
    },
  );
};
