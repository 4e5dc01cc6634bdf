import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyGuard } from '../http/authentication.js';
import { basicPassword } from '../http/credentials.js';
import { useSurfaceErrors } from '../http/error-handling.js';
import { documentSurface } from '../http/openapi.js';
import type { SurfaceDeps } from '../http/surface.js';
import { hellocustomerErrorEnvelope, hellocustomerProblem } from './errors.to-http.js';

/**
 * The Hello Customer API, mounted at `/V1.0/{lang}/…`, authenticated with
 * `Authorization: basic base64(user:KEY)`. Its routes arrive with the surveys issue; until
 * then every path authenticates and answers 401 or 404 in Hello Customer's envelope.
 */
export const hellocustomerSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  useSurfaceErrors(app, hellocustomerProblem);
  documentSurface(app, { security: 'basic', tag: 'Hello Customer', errorEnvelope: hellocustomerErrorEnvelope });
  app.addHook('onRequest', apiKeyGuard(deps.ctx, 'hellocustomer', basicPassword));
};
