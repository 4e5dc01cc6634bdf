import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listSuppressions, suppress, unsuppress } from '../../core/audience/consent.service.js';
import { DomainError } from '../../core/shared/errors.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { suppressionObject } from './audience.mappers.js';
import { AnyBody, SuppressionObject } from './audience.schema.js';

const tags = ['Hellotext: consent (extension)'];

/** The address-level suppression list (our extension): email addresses or E.164 numbers. */
export const suppressionRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);

  app.get(
    '/suppressions',
    {
      schema: {
        summary: 'List suppressed addresses',
        tags,
        querystring: Type.Intersect([PaginationQuery, Type.Object({ channel: Type.Optional(Type.String({ description: 'email or phone' })) })]),
        response: { 200: Type.Object({ suppressions: Type.Array(SuppressionObject) }) },
      },
    },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'suppression'), (bounds) => listSuppressions(scoped, bounds, request.query.channel));
      return { suppressions: page.map((entry) => suppressionObject(entry, ids)) };
    },
  );

  app.post(
    '/suppressions',
    { schema: { summary: 'Suppress an address', tags, body: Type.Optional(AnyBody), response: { 201: SuppressionObject } } },
    async (request, reply) => {
      const { address, reason } = request.body ?? {};
      if (address === undefined || address === null) throw new DomainError('missing', 'This parameter is required.', 'address');
      if (typeof address !== 'string') throw new DomainError('invalid', 'Expected an email address or a phone number.', 'address');
      const entry = await suppress(tenant(request), address, typeof reason === 'string' ? reason : undefined);
      return reply.code(201).send(suppressionObject(entry, ids));
    },
  );

  app.delete(
    '/suppressions/:address',
    {
      schema: {
        summary: 'Remove an address from the suppression list',
        tags,
        params: Type.Object({ address: Type.String() }),
        response: { 200: Type.Object({ address: Type.String(), type: Type.Literal('suppression'), deleted: Type.Literal(true) }) },
      },
    },
    async (request) => {
      const entry = await unsuppress(tenant(request), request.params.address);
      return { address: entry.address, type: 'suppression' as const, deleted: true as const };
    },
  );
};
