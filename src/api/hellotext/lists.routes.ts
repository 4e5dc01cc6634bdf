import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { addProfileToList, createList, deleteList, getList, listLists, removeProfileFromList, renameExistingList, type ListRef } from '../../core/audience/lists.service.js';
import { getProfile } from '../../core/audience/profiles.service.js';
import { invalid } from '../../core/shared/errors.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { listObject, profileObject } from './audience.mappers.js';
import { AnyBody, Deleted, IdParams, ListObject, ProfileObject } from './audience.schema.js';

const tags = ['Hellotext: lists'];

function name(body: Record<string, unknown> | undefined): string | undefined {
  const value = body?.name;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw invalid('name', 'Expected a string.');
}

export const listRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  /** Lists are addressed by id or by name everywhere. */
  const listRef = (idOrName: string): ListRef => ({ id: ids.decode('list', idOrName), name: idOrName });
  const MemberParams = Type.Object({ id: Type.String(), profile: Type.String() });

  app.post('/lists', { schema: { summary: 'Create a list', tags, body: Type.Optional(AnyBody), response: { 201: ListObject } } }, async (request, reply) =>
    reply.code(201).send(listObject(await createList(tenant(request), { name: name(request.body) }), ids)),
  );

  app.get('/lists/:id', { schema: { summary: 'Retrieve a list (by id or name)', tags, params: IdParams, response: { 200: ListObject } } }, async (request) =>
    listObject(await getList(tenant(request), listRef(request.params.id)), ids),
  );

  app.patch(
    '/lists/:id',
    { schema: { summary: 'Update a list (by id or name)', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: ListObject } } },
    async (request) => listObject(await renameExistingList(tenant(request), listRef(request.params.id), { name: name(request.body) }), ids),
  );

  app.delete('/lists/:id', { schema: { summary: 'Delete a list (by id or name)', tags, params: IdParams, response: { 200: Deleted('list') } } }, async (request) => {
    const list = await deleteList(tenant(request), listRef(request.params.id));
    return { id: ids.encode('list', list.id), type: 'list' as const, deleted: true as const };
  });

  app.get(
    '/lists',
    {
      schema: {
        summary: 'List all lists',
        tags,
        querystring: Type.Intersect([PaginationQuery, Type.Object({ name: Type.Optional(Type.String({ description: 'Lists whose name starts with this.' })) })]),
        response: { 200: Type.Object({ lists: Type.Array(ListObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'list'), (bounds) => listLists(scoped, bounds, request.query.name));
      return { lists: page.map((list) => listObject(list, ids)) };
    },
  );

  for (const [method, summary] of [['post', 'Add a profile to a list'], ['delete', 'Remove a profile from a list']] as const) {
    app[method]('/lists/:id/profiles/:profile', { schema: { summary, tags, params: MemberParams, response: { 200: ProfileObject } } }, async (request) => {
      const scoped = tenant(request);
      const profileId = ids.require('profile', request.params.profile, 'Profile', 'profile');
      const change = method === 'post' ? addProfileToList : removeProfileFromList;
      await change(scoped, listRef(request.params.id), profileId);
      return profileObject(await getProfile(scoped, profileId), ids);
    });
  }
};
