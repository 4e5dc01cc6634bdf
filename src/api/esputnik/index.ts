import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyGuard } from '../http/authentication.js';
import { basicPassword } from '../http/credentials.js';
import { useSurfaceErrors } from '../http/error-handling.js';
import { documentSurface } from '../http/openapi.js';
import type { SurfaceDeps } from '../http/surface.js';
import { accountRoutes } from './account.routes.js';
import { esputnikErrorEnvelope, esputnikProblem } from './errors.to-http.js';

/** The eSputnik-style API, mounted at `/api/v1`, HTTP Basic with the key as password. */
export const esputnikSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  useSurfaceErrors(app, esputnikProblem);
  documentSurface(app, { security: 'basic', tag: 'eSputnik', errorEnvelope: esputnikErrorEnvelope });
  app.addHook('onRequest', apiKeyGuard(deps.ctx, 'esputnik', basicPassword));
  await app.register(accountRoutes, { ctx: deps.ctx, ids: deps.ids });
};
