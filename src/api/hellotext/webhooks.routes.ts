import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { pageByKey } from '../../core/shared/pagination.js';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, rotateWebhookSecret, updateWebhook } from '../../core/webhooks/webhooks.service.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { webhookDeliveryObject, webhookObject, webhookWithSecretObject } from './webhooks.mappers.js';
import { webhookInputFrom } from './webhooks.params.js';
import { WebhookDeliveryObject, WebhookObject, WebhookWithSecretObject } from './webhooks.schema.js';

const tags = ['Hellotext: webhooks (extension)'];

/** `/v1/webhooks`: a business's receivers of message events, with their delivery logs. */
export const webhookRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const webhookId = (id: string) => ids.require('webhook', id, 'Webhook');

  app.post(
    '/webhooks',
    {
      schema: {
        summary: 'Create a webhook (answers its signing secret, this once)',
        description: '`url` (http or https), `events` (default both: `message.state_changed`, `message.received`), `active` (default true).',
        tags,
        body: Type.Optional(AnyBody),
        response: { 201: WebhookWithSecretObject },
      },
    },
    async (request, reply) => reply.code(201).send(webhookWithSecretObject(await createWebhook(tenant(request), webhookInputFrom(request.body)), ids)),
  );

  app.get('/webhooks/:id', { schema: { summary: 'Retrieve a webhook', tags, params: IdParams, response: { 200: WebhookObject } } }, async (request) =>
    webhookObject(await getWebhook(tenant(request), webhookId(request.params.id)), ids),
  );

  app.patch(
    '/webhooks/:id',
    { schema: { summary: 'Update a webhook (`url`, `events`, `active`)', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: WebhookObject } } },
    async (request) => webhookObject(await updateWebhook(tenant(request), webhookId(request.params.id), webhookInputFrom(request.body)), ids),
  );

  app.delete('/webhooks/:id', { schema: { summary: 'Delete a webhook and its delivery log', tags, params: IdParams, response: { 200: Deleted('webhook') } } }, async (request) => {
    const deleted = await deleteWebhook(tenant(request), webhookId(request.params.id));
    return { id: ids.encode('webhook', deleted.id), type: 'webhook' as const, deleted: true as const };
  });

  app.get(
    '/webhooks',
    { schema: { summary: 'List all webhooks', tags, querystring: PaginationQuery, response: { 200: Type.Object({ webhooks: Type.Array(WebhookObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'webhook'), (bounds) => listWebhooks(scoped, bounds));
      return { webhooks: page.map((webhook) => webhookObject(webhook, ids)) };
    },
  );

  app.post(
    '/webhooks/:id/rotate_secret',
    { schema: { summary: 'Replace the signing secret (answers the new one, this once)', tags, params: IdParams, response: { 200: WebhookWithSecretObject } } },
    async (request) => webhookWithSecretObject(await rotateWebhookSecret(tenant(request), webhookId(request.params.id)), ids),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        summary: 'List the delivery log of a webhook, newest first',
        tags,
        params: IdParams,
        querystring: PaginationQuery,
        response: { 200: Type.Object({ deliveries: Type.Array(WebhookDeliveryObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const id = webhookId(request.params.id);
      const page = await pageByKey(pageRequest(request.query, ids, 'webhook_delivery'), (bounds) => listDeliveries(scoped, id, bounds));
      return { deliveries: page.map((delivery) => webhookDeliveryObject(delivery, ids)) };
    },
  );
};
