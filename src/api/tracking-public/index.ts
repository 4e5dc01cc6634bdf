import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isRecord } from '../hellotext/body-fields.js';
import { hellotextErrorEnvelope, hellotextProblem } from '../hellotext/errors.to-http.js';
import { classify, type Problem } from '../http/error-handling.js';
import { documentSurface } from '../http/openapi.js';
import type { SurfaceDeps } from '../http/surface.js';
import { TransportError } from '../http/transport-errors.js';
import { allowAnyOrigin, answerPreflights } from './cors.js';
import { eventRoutes } from './events.routes.js';
import { publicRoutes } from './public.routes.js';
import { publicBusinessOf, publicIdGuard } from './public-id-guard.js';
import { tooManyRequests, TokenBuckets } from './rate-limit.js';
import { sessionRoutes } from './sessions.routes.js';
import { trackerRoutes } from './tracker.routes.js';

/**
 * Largest body of a public call. Anyone may send one (the public id is public), and a
 * browser's keepalive requests are capped at 64 KiB in flight anyway.
 */
const PUBLIC_BODY_LIMIT = 64 * 1024;

/** Every path of the public protocol under `/v1`, for the preflight answers. */
const API_PATHS = ['/track/events', '/track/sessions', '/public/businesses/:id', '/public/acks', '/public/identifications'];

/** The public protocol's own path prefixes under `/v1`: anything unknown there is its 404. */
const API_PREFIXES = ['/track', '/public'];

/**
 * `fetch(…, {keepalive: true})` and beacon-like senders may label a JSON body text/plain
 * (a "simple" content type needs no preflight): read it as JSON too, on these routes only.
 */
function acceptTextPlainJson(app: FastifyInstance): void {
  const secureJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    secureJson.call(app, request, text, done);
  });
}

/**
 * Browser and app tracking without the secret key: `/v1/track/…` and `/v1/public/…`,
 * authenticated with the business's public id, open to any origin and rate-limited per
 * client address and per session; and the tracker script at `/tracker.js`. Registered
 * beside the Hellotext surface, not inside it, so its API-key guard never applies here.
 */
export const trackingPublicSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  const { ctx } = deps;
  // Hellotext's envelope, as the browser library reads it. Not useSurfaceErrors: that also
  // sets a not-found handler, and at the root the app has its own.
  const answer = (reply: FastifyReply, problem: Problem) => {
    const { status, body } = hellotextProblem(problem);
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  };
  app.setErrorHandler((error, request, reply) => {
    const problem = classify(error, request);
    if (problem.kind === 'internal') request.log.error({ err: error }, 'request failed');
    return answer(reply, problem);
  });
  app.addHook('onRequest', allowAnyOrigin);

  await app.register(trackerRoutes);

  const perAddress = new TokenBuckets({ burst: ctx.config.TRACKING_RATE_IP_BURST, perMinute: ctx.config.TRACKING_RATE_IP_PER_MINUTE });
  const perSession = new TokenBuckets({ burst: ctx.config.TRACKING_RATE_SESSION_BURST, perMinute: ctx.config.TRACKING_RATE_SESSION_PER_MINUTE });

  await app.register(
    async (api) => {
      answerPreflights(api, API_PATHS);
      // Without these, an unknown path or method here would fall to the Hellotext surface's
      // not-found handler under /v1, behind its secret-key guard: a 401 without CORS headers.
      for (const prefix of API_PREFIXES) {
        await api.register(
          async (unknown) => {
            unknown.setNotFoundHandler((request, reply) =>
              answer(reply, { kind: 'transport', error: new TransportError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`) }),
            );
          },
          { prefix },
        );
      }
      await api.register(async (scope) => {
        documentSurface(scope, { security: 'hellotextPublic', tag: 'Hellotext: browser tracking', errorEnvelope: hellotextErrorEnvelope });
        acceptTextPlainJson(scope);
        scope.addHook('onRoute', (route) => {
          route.bodyLimit = Math.min(route.bodyLimit ?? PUBLIC_BODY_LIMIT, PUBLIC_BODY_LIMIT);
        });
        scope.decorateRequest('publicBusiness', null);
        // Before authentication, so unauthenticated floods are limited too.
        scope.addHook('onRequest', async (request, reply) => {
          const wait = perAddress.take(request.ip, ctx.clock.now());
          if (wait > 0) return tooManyRequests(reply, wait, 'address');
        });
        scope.addHook('onRequest', publicIdGuard(ctx));
        scope.addHook('preHandler', async (request, reply) => {
          const session = isRecord(request.body) ? request.body.session : undefined;
          // Longer texts are no token and are refused by the route; they get no bucket.
          if (typeof session !== 'string' || session === '' || session.length > 64) return;
          const wait = perSession.take(`${publicBusinessOf(request).id}:${session}`, ctx.clock.now());
          if (wait > 0) return tooManyRequests(reply, wait, 'session');
        });
        for (const routes of [eventRoutes, sessionRoutes, publicRoutes]) await scope.register(routes, deps);
      });
    },
    { prefix: '/v1' },
  );
};
