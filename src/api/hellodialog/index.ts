import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyGuard } from '../http/authentication.js';
import { queryToken } from '../http/credentials.js';
import { useSurfaceErrors } from '../http/error-handling.js';
import { documentSurface } from '../http/openapi.js';
import type { SurfaceDeps } from '../http/surface.js';
import { hellodialogErrorEnvelope, hellodialogProblem } from './errors.to-http.js';
import { pingRoutes } from './ping.routes.js';

/**
 * The Hellodialog API 1.4, mounted at `/api`, authenticated with `?token=KEY`; `?method=`
 * overrides the HTTP method (src/api/http/method-override.ts).
 */
export const hellodialogSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  useSurfaceErrors(app, hellodialogProblem);
  documentSurface(app, { security: 'hellodialog', tag: 'Hellodialog', errorEnvelope: hellodialogErrorEnvelope });
  app.addHook('onRequest', apiKeyGuard(deps.ctx, 'hellodialog', queryToken));
  await app.register(pingRoutes, { ctx: deps.ctx, ids: deps.ids });
};
