import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createAction, deleteAction, getAction, listActions, updateAction } from '../../core/tracking/actions.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { actionObject } from './attribution-objects.mappers.js';
import { actionInputFrom } from './attribution-objects.params.js';
import { ActionObject } from './attribution-objects.schema.js';

const tags = ['Hellotext: actions'];

export const actionRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const actionId = (id: string) => ids.require('action', id, 'Action');

  app.post('/attribution/actions', { schema: { summary: 'Create an action', tags, body: Type.Optional(AnyBody), response: { 201: ActionObject } } }, async (request, reply) =>
    reply.code(201).send(actionObject(await createAction(tenant(request), actionInputFrom(request.body)), ids)),
  );

  app.get('/attribution/actions/:id', { schema: { summary: 'Retrieve an action', tags, params: IdParams, response: { 200: ActionObject } } }, async (request) =>
    actionObject(await getAction(tenant(request), actionId(request.params.id)), ids),
  );

  app.patch(
    '/attribution/actions/:id',
    { schema: { summary: 'Update a custom action (built-in ones are not_allowed)', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: ActionObject } } },
    async (request) => actionObject(await updateAction(tenant(request), actionId(request.params.id), actionInputFrom(request.body)), ids),
  );

  app.delete('/attribution/actions/:id', { schema: { summary: 'Delete a custom action and every event tracked with it', tags, params: IdParams, response: { 200: Deleted('action') } } }, async (request) => {
    const deleted = await deleteAction(tenant(request), actionId(request.params.id));
    return { id: ids.encode('action', deleted.id), type: 'action' as const, deleted: true as const };
  });

  app.get(
    '/attribution/actions',
    { schema: { summary: 'List all custom actions', tags, querystring: PaginationQuery, response: { 200: Type.Object({ actions: Type.Array(ActionObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'action'), (bounds) => listActions(scoped, bounds));
      return { actions: page.map((item) => actionObject(item, ids)) };
    },
  );
};
