import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { activityOf } from '../../core/audience/activity.service.js';
import { PROFILE_ORDERS, profileOrder, searchProfiles } from '../../core/audience/profile-search.js';
import {
  clearProfile,
  createProfile,
  getProfile,
  setContactVerified,
  setProfileBlocked,
  subscribeProfile,
  unsubscribeProfile,
  updateProfile,
} from '../../core/audience/profiles.service.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageOf, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { activityObject, profileObject, trailPosition } from './audience.mappers.js';
import { ActivityObject, AnyBody, Deleted, IdParams, ProfileObject } from './audience.schema.js';
import { createProfileInput, profileInput } from './profiles.params.js';

const tags = ['Hellotext: profiles'];

const ProfileSearchQuery = Type.Intersect([
  PaginationQuery,
  Type.Object({
    email: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    first_name: Type.Optional(Type.String()),
    last_name: Type.Optional(Type.String()),
    property: Type.Optional(Type.String({ description: 'Profiles with any property holding this value.' })),
    order: Type.Optional(Type.String({ description: `${PROFILE_ORDERS.join(', ')}; anything else means activity.` })),
  }),
]);

export const profileRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const profileId = (id: string) => ids.require('profile', id, 'Profile');
  const one = { params: IdParams, response: { 200: ProfileObject } };

  app.post(
    '/profiles',
    { schema: { summary: 'Create a profile', tags, body: Type.Optional(AnyBody), response: { 201: Type.Object({ id: Type.String() }) } } },
    async (request, reply) => {
      const profile = await createProfile(tenant(request), createProfileInput(request.body ?? {}, ids));
      return reply.code(201).send({ id: ids.encode('profile', profile.id) });
    },
  );

  app.get('/profiles/:id', { schema: { summary: 'Retrieve a profile', tags, ...one } }, async (request) =>
    profileObject(await getProfile(tenant(request), profileId(request.params.id)), ids),
  );

  app.patch(
    '/profiles/:id',
    { schema: { summary: 'Update a profile', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: Type.Object({ id: Type.String(), updated: Type.Literal(true) }) } } },
    async (request) => {
      const id = profileId(request.params.id);
      await updateProfile(tenant(request), id, profileInput(request.body ?? {}, ids));
      return { id: ids.encode('profile', id), updated: true as const };
    },
  );

  app.delete('/profiles/:id', { schema: { summary: 'Delete (clear) a profile', tags, params: IdParams, response: { 200: Deleted('profile') } } }, async (request) => {
    const id = profileId(request.params.id);
    await clearProfile(tenant(request), id);
    return { id: ids.encode('profile', id), type: 'profile' as const, deleted: true as const };
  });

  app.get(
    '/profiles',
    { schema: { summary: 'List all profiles', tags, querystring: ProfileSearchQuery, response: { 200: Type.Object({ profiles: Type.Array(ProfileObject) }) } } },
    async (request) => {
      const query = request.query;
      const page = await searchProfiles(
        tenant(request),
        { email: query.email, phone: query.phone, firstName: query.first_name, lastName: query.last_name, property: query.property, order: profileOrder(query.order) },
        pageRequest(query, ids, 'profile'),
      );
      return { profiles: page.map((profile) => profileObject(profile, ids)) };
    },
  );

  app.post('/profiles/:id/subscribe', { schema: { summary: 'Subscribe a profile', tags, ...one } }, async (request) =>
    profileObject(await subscribeProfile(tenant(request), profileId(request.params.id)), ids),
  );
  app.post('/profiles/:id/unsubscribe', { schema: { summary: 'Unsubscribe a profile', tags, ...one } }, async (request) =>
    profileObject(await unsubscribeProfile(tenant(request), profileId(request.params.id)), ids),
  );
  app.post('/profiles/:id/block', { schema: { summary: 'Block a profile (extension)', tags, ...one } }, async (request) =>
    profileObject(await setProfileBlocked(tenant(request), profileId(request.params.id), true), ids),
  );
  app.post('/profiles/:id/unblock', { schema: { summary: 'Unblock a profile (extension)', tags, ...one } }, async (request) =>
    profileObject(await setProfileBlocked(tenant(request), profileId(request.params.id), false), ids),
  );

  for (const [method, verified] of [['post', true], ['delete', false]] as const) {
    app[method](
      '/profiles/:id/verify',
      {
        schema: {
          summary: verified ? "Verify a profile's contactable" : "Unverify a profile's contactable",
          tags,
          params: IdParams,
          querystring: Type.Object({ email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) }),
          body: Type.Optional(AnyBody),
          response: { 200: Type.Object({ verified: Type.Boolean() }) },
        },
      },
      async (request) => {
        // DELETE clients often send their parameters in the query string.
        const given = { ...request.query, ...(request.body ?? {}) };
        await setContactVerified(tenant(request), profileId(request.params.id), { email: given.email, phone: given.phone }, verified);
        return { verified };
      },
    );
  }

  app.get(
    '/profiles/:id/activity',
    {
      schema: {
        summary: "A profile's activity trail, newest first (extension)",
        tags,
        params: IdParams,
        querystring: PaginationQuery,
        response: { 200: Type.Object({ activity: Type.Array(ActivityObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const id = profileId(request.params.id);
      const page = await activityOf(scoped, id, pageOf(request.query, (value) => trailPosition(ids, value)));
      return { activity: page.map((entry) => activityObject(entry, ids)) };
    },
  );
};
