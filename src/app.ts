import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { esputnikSurface } from './api/esputnik/index.js';
import { hellocustomerSurface } from './api/hellocustomer/index.js';
import { hellodialogSurface } from './api/hellodialog/index.js';
import { hellotextSurface } from './api/hellotext/index.js';
import { trackingPublicSurface } from './api/tracking-public/index.js';
import { shortLinkRoutes } from './api/web/short-links.routes.js';
import { hookRoutes } from './api/web/hooks.routes.js';
import { parseQueryString, registerBodyParsers, rejectUnreadableQuery } from './api/http/body-parsing.js';
import { useSurfaceErrors } from './api/http/error-handling.js';
import { plainProblem, restStatusOf } from './api/http/statuses.js';
import { applyMethodOverride } from './api/http/method-override.js';
import { registerMetricsRoute } from './api/http/metrics.route.js';
import type { PublicIds } from './core/shared/public-ids.js';
import type { CoreContext } from './core/context.js';
import { databaseReachable } from './core/health.js';
import { redactUrl } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';

export interface AppDeps {
  readonly ctx: CoreContext;
  readonly ids: PublicIds;
  readonly metrics: Metrics;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The whole HTTP application, never listening: `src/server.ts` listens, tests inject.
 * Each surface is an encapsulated plugin with its own authentication and error envelope.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { ctx, metrics } = deps;
  const loggerInstance: FastifyBaseLogger = ctx.logger;
  const trustProxy: FastifyServerOptions['trustProxy'] = ctx.config.TRUST_PROXY;
  const app = Fastify({
    loggerInstance,
    // One line per request, written by the onResponse hook below with the token masked.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: requestId,
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    trustProxy,
    rewriteUrl: applyMethodOverride,
    routerOptions: { querystringParser: parseQueryString, ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerBodyParsers(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onRequest', rejectUnreadableQuery);
  // A POST without a body (`/subscribe`, `/lists` with a form client) is a request without
  // parameters, not a malformed one.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });
  // While closing, answers in flight end their keep-alive connection, so close() does not
  // wait for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    // Checked first: redacting the URL is work wasted when the line would not be written.
    if (ctx.logger.isLevelEnabled('info')) {
      request.log.info(
        { method: request.method, url: redactUrl(request.url), route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
        'request',
      );
    }
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'hellohub',
        version: '0.1.0',
        description:
          'One customer record behind four wire-compatible APIs: Hellotext (/v1, Bearer key), Hellodialog (/api, ?token=key), Hello Customer (/V1.0, basic auth) and eSputnik-style (/api/v1, Basic auth with the key as password).',
      },
      components: {
        securitySchemes: {
          hellotext: { type: 'http', scheme: 'bearer' },
          hellotextPublic: { type: 'http', scheme: 'bearer', description: 'The public id of a business (browser tracking), never an API key.' },
          hellodialog: { type: 'apiKey', in: 'query', name: 'token' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) =>
    (await databaseReachable(ctx)) ? { status: 'ok' } : reply.code(503).send({ status: 'unavailable' }),
  );

  registerMetricsRoute(app, ctx.config, metrics);

  // Outside the four surfaces: a plain JSON envelope.
  useSurfaceErrors(app, (problem, request) => {
    const { status, message } = plainProblem(problem, restStatusOf);
    return { status, body: { error: message, request_id: request.id } };
  });

  const surfaceDeps = { ctx, ids: deps.ids };
  await app.register(hellotextSurface, { ...surfaceDeps, prefix: '/v1' });
  // Beside the Hellotext surface, not inside it: its secret-key guard must not apply.
  await app.register(trackingPublicSurface, surfaceDeps);
  await app.register(shortLinkRoutes, surfaceDeps);
  await app.register(hookRoutes, surfaceDeps);
  await app.register(esputnikSurface, { ...surfaceDeps, prefix: '/api/v1' });
  await app.register(esputnikSurface, { ...surfaceDeps, prefix: '/api/v2' });
  await app.register(hellodialogSurface, { ...surfaceDeps, prefix: '/api' });
  await app.register(hellocustomerSurface, { ...surfaceDeps, prefix: '/V1.0' });
  return app;
}
