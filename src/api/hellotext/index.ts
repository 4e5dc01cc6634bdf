import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyGuard } from '../http/authentication.js';
import { bearerToken } from '../http/credentials.js';
import { useSurfaceErrors } from '../http/error-handling.js';
import type { SurfaceDeps } from '../http/surface.js';
import { businessRoutes } from './business.routes.js';
import { hellotextProblem } from './errors.to-http.js';

/** The Hellotext API, mounted at `/v1`, authenticated with `Authorization: Bearer KEY`. */
export const hellotextSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  useSurfaceErrors(app, hellotextProblem);
  app.addHook('onRequest', apiKeyGuard(deps.ctx, 'hellotext', bearerToken));
  await app.register(businessRoutes, { ctx: deps.ctx, ids: deps.ids });
};
