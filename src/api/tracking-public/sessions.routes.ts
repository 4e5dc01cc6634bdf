import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createSession } from '../../core/tracking/sessions.service.js';
import type { SurfaceDeps } from '../http/surface.js';
import { publicTenant } from './public-id-guard.js';
import { SessionCreated } from './tracking-public.schema.js';

/** `POST /v1/track/sessions`: a session token made by the server, for clients that ask for one. */
export const sessionRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  app.post(
    '/track/sessions',
    {
      schema: {
        summary: 'Create a session (for clients that do not make their own token)',
        tags: ['Hellotext: browser tracking'],
        body: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Ignored; may be empty.' })),
        response: { 200: SessionCreated },
      },
    },
    async (request) => ({ id: (await createSession(publicTenant(ctx, request), { source: 'client' })).uuid }),
  );
};
