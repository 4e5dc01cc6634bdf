import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { attachSession, resolveSession, toSession } from '../../core/tracking/sessions.service.js';
import { missing } from '../../core/shared/errors.js';
import { tenantContext } from '../http/authentication.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, IdParams } from './audience.schema.js';
import { bodyOf } from './body-fields.js';
import { sessionObject } from './events.mappers.js';
import { aliased, sessionRef } from './events.params.js';
import { SessionObject } from './events.schema.js';

const tags = ['Hellotext: tracking'];

export const sessionRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  app.patch(
    '/sessions/:id',
    {
      schema: {
        summary: 'Attach a session to a profile (by session id or client uuid)',
        description: 'An unseen client uuid creates the session. Its events, carts and orders move to the profile.',
        tags,
        params: IdParams,
        body: Type.Optional(AnyBody),
        response: { 200: SessionObject },
      },
    },
    async (request) => {
      const profile = aliased(bodyOf(request.body), 'profile');
      if (profile === undefined || profile === null || profile === '') throw missing('profile');
      const profileId = ids.require('profile', profile, 'Profile', 'profile');
      return sessionObject(await attachSession(tenantContext(ctx, request), sessionRef(ids, request.params.id), profileId), ids);
    },
  );

  app.get(
    '/sessions/:id',
    { schema: { summary: 'Retrieve a session (by id or client uuid; extension)', tags, params: IdParams, response: { 200: SessionObject } } },
    async (request) => sessionObject(toSession(await resolveSession(tenantContext(ctx, request), sessionRef(ids, request.params.id), 'id')), ids),
  );
};
