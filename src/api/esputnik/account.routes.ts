import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getBusiness } from '../../core/business/businesses.service.js';
import { tenantOf } from '../http/authentication.js';
import type { SurfaceDeps } from '../http/surface.js';

const AccountInfo = Type.Object({
  userEmail: Type.String(),
  organisationName: Type.String(),
});

export const accountRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  app.get(
    '/account/info',
    { schema: { summary: 'Get account info', tags: ['eSputnik: account'], response: { 200: AccountInfo } } },
    async (request) => {
      const business = await getBusiness(ctx, tenantOf(request).businessId);
      return { userEmail: business.email ?? '', organisationName: business.name };
    },
  );
};
