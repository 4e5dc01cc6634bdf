import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyGuard } from '../http/authentication.js';
import { bearerToken } from '../http/credentials.js';
import { useSurfaceErrors } from '../http/error-handling.js';
import { documentSurface } from '../http/openapi.js';
import type { SurfaceDeps } from '../http/surface.js';
import { actionRoutes } from './actions.routes.js';
import { appRoutes } from './apps.routes.js';
import { businessRoutes } from './business.routes.js';
import { cartRoutes } from './carts.routes.js';
import { orderRoutes } from './orders.routes.js';
import { productRoutes } from './products.routes.js';
import { refundRoutes } from './refunds.routes.js';
import { eventRoutes } from './events.routes.js';
import { sessionRoutes } from './sessions.routes.js';
import { couponRoutes } from './coupons.routes.js';
import { formRoutes } from './forms.routes.js';
import { listRoutes } from './lists.routes.js';
import { profileRoutes } from './profiles.routes.js';
import { propertyRoutes } from './properties.routes.js';
import { suppressionRoutes } from './suppressions.routes.js';
import { hellotextErrorEnvelope, hellotextProblem } from './errors.to-http.js';

/** The Hellotext API, mounted at `/v1`, authenticated with `Authorization: Bearer KEY`. */
export const hellotextSurface: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, deps) => {
  useSurfaceErrors(app, hellotextProblem);
  documentSurface(app, { security: 'hellotext', tag: 'Hellotext', errorEnvelope: hellotextErrorEnvelope });
  app.addHook('onRequest', apiKeyGuard(deps.ctx, 'hellotext', bearerToken));
  const routeDeps = { ctx: deps.ctx, ids: deps.ids };
  for (const routes of [businessRoutes, profileRoutes, propertyRoutes, listRoutes, suppressionRoutes, appRoutes, formRoutes, couponRoutes, actionRoutes, eventRoutes, sessionRoutes]) await app.register(routes, routeDeps);
  for (const routes of [productRoutes, orderRoutes, cartRoutes, refundRoutes]) await app.register(routes, routeDeps);
};
