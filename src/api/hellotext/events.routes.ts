import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { deleteEvent, getEvent, listEvents, trackEvent, updateEvent } from '../../core/tracking/events.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { bodyOf } from './body-fields.js';
import { eventObject } from './events.mappers.js';
import { eventChangesFrom, sessionRef, trackInputFrom } from './events.params.js';
import { EventObject, TrackedResponse } from './events.schema.js';

const tags = ['Hellotext: tracking'];
/** The answer of every tracked event, serialized once: the hot path should not run a serializer for a constant. */
const TRACKED = JSON.stringify({ status: 'received', state: 'ok' } satisfies Static<typeof TrackedResponse>);

export const eventRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);

  app.post(
    '/attribution/events',
    {
      schema: {
        summary: 'Track an event',
        description: 'Answered once the event is committed; concurrent events share one transaction (group commit).',
        tags,
        body: Type.Optional(AnyBody),
        response: { 201: TrackedResponse },
      },
    },
    async (request, reply) => {
      await trackEvent(tenant(request), trackInputFrom(bodyOf(request.body), ids));
      return reply.code(201).serializer(() => TRACKED).send({ status: 'received', state: 'ok' });
    },
  );

  app.get('/attribution/events/:id', { schema: { summary: 'Retrieve an event', tags, params: IdParams, response: { 200: EventObject } } }, async (request) =>
    eventObject(await getEvent(tenant(request), ids.require('event', request.params.id, 'Event')), ids),
  );

  app.patch(
    '/attribution/events/:id',
    { schema: { summary: 'Update an event', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: EventObject } } },
    async (request) => {
      const id = ids.require('event', request.params.id, 'Event');
      return eventObject(await updateEvent(tenant(request), id, eventChangesFrom(bodyOf(request.body), ids)), ids);
    },
  );

  app.delete('/attribution/events/:id', { schema: { summary: 'Delete an event', tags, params: IdParams, response: { 200: Deleted('event') } } }, async (request) => {
    const id = ids.require('event', request.params.id, 'Event');
    await deleteEvent(tenant(request), id);
    return { id: request.params.id, type: 'event' as const, deleted: true as const };
  });

  app.get(
    '/attribution/events',
    {
      schema: {
        summary: 'List all events',
        tags,
        querystring: Type.Intersect([
          PaginationQuery,
          Type.Object({
            profile: Type.Optional(Type.String({ description: "Extension: only this profile's events." })),
            session: Type.Optional(Type.String({ description: "Extension: only this session's events (id or token)." })),
          }),
        ]),
        response: { 200: Type.Object({ events: Type.Array(EventObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const { profile, session } = request.query;
      const filter = {
        ...(profile ? { profileId: ids.require('profile', profile, 'Profile', 'profile') } : {}),
        ...(session ? { session: sessionRef(ids, session) } : {}),
      };
      const page = await pageByKey(pageRequest(request.query, ids, 'event'), (bounds) => listEvents(scoped, bounds, filter));
      return { events: page.map((event) => eventObject(event, ids)) };
    },
  );
};
