import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createProperty, deleteProperty, getProperty, listProperties, updateProperty } from '../../core/audience/properties.service.js';
import { invalid } from '../../core/shared/errors.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { propertyObject } from './audience.mappers.js';
import { AnyBody, Deleted, IdParams, PropertyObject } from './audience.schema.js';
import { booleanParameter } from './body-fields.js';

const tags = ['Hellotext: properties'];

function optionalString(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw invalid(parameter, 'Expected a string.');
}

/** `position` as a number; the update's `position=''` means "move to the bottom". */
function position(value: unknown, allowBottom: boolean): number | 'bottom' | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === '') {
    if (allowBottom) return 'bottom';
    return undefined;
  }
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(number) || number < 1) throw invalid('position', 'The position must be an integer greater than zero.');
  return number;
}

export const propertyRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const propertyId = (id: string) => ids.require('property', id, 'Property');

  app.post(
    '/properties',
    { schema: { summary: 'Create a property', tags, body: Type.Optional(AnyBody), response: { 201: PropertyObject } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const profile = optionalString(body.profile, 'profile');
      const at = position(body.position, false);
      const property = await createProperty(tenant(request), {
        kind: optionalString(body.kind, 'kind'),
        name: optionalString(body.name, 'name'),
        position: at === 'bottom' ? undefined : at,
        profileId: profile === undefined || profile === '' ? undefined : ids.require('profile', profile, 'Profile', 'profile'),
        unique: booleanParameter(body.unique, 'unique'),
      });
      return reply.code(201).send(propertyObject(property, ids));
    },
  );

  app.get('/properties/:id', { schema: { summary: 'Retrieve a property', tags, params: IdParams, response: { 200: PropertyObject } } }, async (request) =>
    propertyObject(await getProperty(tenant(request), propertyId(request.params.id)), ids),
  );

  app.patch(
    '/properties/:id',
    { schema: { summary: 'Update a property', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: PropertyObject } } },
    async (request) => {
      const body = request.body ?? {};
      const property = await updateProperty(tenant(request), propertyId(request.params.id), {
        name: body.name === null ? null : optionalString(body.name, 'name'),
        position: position(body.position, true),
        unique: booleanParameter(body.unique, 'unique'),
      });
      return propertyObject(property, ids);
    },
  );

  app.delete('/properties/:id', { schema: { summary: 'Delete a property', tags, params: IdParams, response: { 200: Deleted('property') } } }, async (request) => {
    const property = await deleteProperty(tenant(request), propertyId(request.params.id));
    return { id: ids.encode('property', property.id), type: 'property' as const, deleted: true as const };
  });

  app.get(
    '/properties',
    {
      schema: {
        summary: 'List all properties (business-wide, or one profile’s own with `profile`)',
        tags,
        querystring: Type.Intersect([PaginationQuery, Type.Object({ profile: Type.Optional(Type.String()) })]),
        response: { 200: Type.Object({ properties: Type.Array(PropertyObject) }) },
      },
    },
    async (request) => {
      const { profile } = request.query;
      const profileId = profile ? ids.require('profile', profile, 'Profile', 'profile') : undefined;
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'property'), (bounds) => listProperties(scoped, bounds, profileId));
      return { properties: page.map((property) => propertyObject(property, ids)) };
    },
  );
};
