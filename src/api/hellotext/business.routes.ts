import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { listApiKeys } from '../../core/business/api-keys.service.js';
import { getBusiness, type Business } from '../../core/business/businesses.service.js';
import { tenantOf } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { SURFACES } from '../../core/business/surfaces.js';

const BusinessObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('business'),
  name: Type.String(),
  public_id: Type.String({ description: 'Identifier for browser tracking scripts; it can only write tracking data.' }),
  uuid: Type.String({ description: 'GUID; the CompanyUniqueID of the Hello Customer surface.' }),
  country: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
  created_at: Type.Integer(),
});

const ApiKeyObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('api_key'),
  prefix: Type.String({ description: 'Visible start of the key.' }),
  name: Type.Union([Type.String(), Type.Null()]),
  surfaces: Type.Array(Type.Enum(SURFACES)),
  created_at: Type.Integer(),
  revoked_at: Type.Union([Type.Integer(), Type.Null()]),
});

function businessObject(business: Business, ids: PublicIds): Static<typeof BusinessObject> {
  return {
    id: ids.encode('business', business.id),
    type: 'business',
    name: business.name,
    public_id: business.publicId,
    uuid: business.uuid,
    country: business.country,
    currency: business.currency,
    timezone: business.timezone,
    created_at: business.createdAt,
  };
}

/** `GET /v1/business` and `GET /v1/api_keys`: our extensions, the account behind the key. */
export const businessRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  app.get(
    '/business',
    { schema: { summary: 'The business of the API key', tags: ['Hellotext: business'], response: { 200: BusinessObject } } },
    async (request) => businessObject(await getBusiness(ctx, tenantOf(request).businessId), ids),
  );

  app.get(
    '/api_keys',
    {
      schema: {
        summary: 'API keys of the business (secrets are never shown again)',
        tags: ['Hellotext: business'],
        querystring: PaginationQuery,
        response: { 200: Type.Object({ api_keys: Type.Array(ApiKeyObject) }) },
      },
    },
    async (request) => {
      const page = await pageByKey(pageRequest(request.query, ids, 'api_key'), (bounds) => listApiKeys(ctx, tenantOf(request).businessId, bounds));
      const api_keys = page.map((key) => ({
        id: ids.encode('api_key', key.id),
        type: 'api_key' as const,
        prefix: key.prefix,
        name: key.name,
        surfaces: key.surfaces ? [...key.surfaces] : [...SURFACES],
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
      }));
      return { api_keys };
    },
  );
};
