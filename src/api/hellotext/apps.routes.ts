import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createApp, deleteApp, getApp, listApps, updateApp } from '../../core/commerce/apps.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { appObject } from './attribution-objects.mappers.js';
import { appInputFrom } from './attribution-objects.params.js';
import { AppObject } from './attribution-objects.schema.js';

const tags = ['Hellotext: apps'];

export const appRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const appId = (id: string) => ids.require('app', id, 'App');

  app.post('/attribution/apps', { schema: { summary: 'Create an app', tags, body: Type.Optional(AnyBody), response: { 201: AppObject } } }, async (request, reply) =>
    reply.code(201).send(appObject(await createApp(tenant(request), appInputFrom(request.body)), ids)),
  );

  app.get('/attribution/apps/:id', { schema: { summary: 'Retrieve an app', tags, params: IdParams, response: { 200: AppObject } } }, async (request) =>
    appObject(await getApp(tenant(request), appId(request.params.id)), ids),
  );

  app.patch(
    '/attribution/apps/:id',
    { schema: { summary: 'Update an app (`image_url` null or empty removes the image)', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: AppObject } } },
    async (request) => appObject(await updateApp(tenant(request), appId(request.params.id), appInputFrom(request.body)), ids),
  );

  app.delete('/attribution/apps/:id', { schema: { summary: 'Delete an app', tags, params: IdParams, response: { 200: Deleted('app') } } }, async (request) => {
    const deleted = await deleteApp(tenant(request), appId(request.params.id));
    return { id: ids.encode('app', deleted.id), type: 'app' as const, deleted: true as const };
  });

  app.get(
    '/attribution/apps',
    { schema: { summary: 'List all apps', tags, querystring: PaginationQuery, response: { 200: Type.Object({ apps: Type.Array(AppObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'app'), (bounds) => listApps(scoped, bounds));
      return { apps: page.map((item) => appObject(item, ids)) };
    },
  );
};
