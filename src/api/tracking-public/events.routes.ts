import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trackEvent } from '../../core/tracking/events.service.js';
import { bodyOf } from '../hellotext/body-fields.js';
import type { SurfaceDeps } from '../http/surface.js';
import { publicTenant } from './public-id-guard.js';
import { publicTrackInput } from './track-events.params.js';
import { Received, TrackEventBody } from './tracking-public.schema.js';

/** `POST /v1/track/events`: 200 (exactly, the browser library checks it) once the event is committed. */
export const eventRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  app.post(
    '/track/events',
    { schema: { summary: 'Track an event of a session (browser and app)', tags: ['Hellotext: browser tracking'], body: TrackEventBody, response: { 200: Received } } },
    async (request) => {
      await trackEvent(publicTenant(ctx, request), publicTrackInput(bodyOf(request.body), ids));
      return { status: 'received' as const };
    },
  );
};
