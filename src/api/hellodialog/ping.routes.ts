import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getBusiness } from '../../core/business/businesses.service.js';
import { tenantOf } from '../http/authentication.js';
import type { SurfaceDeps } from '../http/surface.js';

/** The Hellodialog modules this installation serves. */
const MODULES = ['contacts', 'fields', 'groups', 'lists', 'newsletters', 'orders', 'campaigns', 'nps', 'transactional'] as const;

const AccountData = Type.Object({
  account: Type.String(),
  account_id: Type.String(),
  plan: Type.String(),
  access: Type.Record(Type.String(), Type.Boolean()),
  modules: Type.Array(Type.String()),
});

export const pingRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  app.get(
    '/ping',
    { schema: { summary: 'Get account data', tags: ['Hellodialog: ping'], response: { 200: AccountData } } },
    async (request) => {
      const business = await getBusiness(ctx, tenantOf(request).businessId);
      return {
        account: business.name,
        account_id: String(business.id),
        plan: 'Self-hosted',
        access: Object.fromEntries(MODULES.map((module) => [module, true])),
        modules: [...MODULES],
      };
    },
  );
};
