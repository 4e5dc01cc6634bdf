import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createRefund, deleteRefund, getRefund, listRefunds, updateRefund } from '../../core/commerce/refunds.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { refundObject } from './catalog.mappers.js';
import { refundInputFrom } from './catalog.params.js';
import { RefundObject } from './catalog.schema.js';

const tags = ['Hellotext: refunds'];

export const refundRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const refundId = (id: string) => ids.require('refund', id, 'Refund');
  const body = { body: Type.Optional(AnyBody) };

  app.post(
    '/attribution/refunds',
    { schema: { summary: "Create a refund (the total defaults to the order's total or the product's price)", tags, ...body, response: { 201: RefundObject } } },
    async (request, reply) => reply.code(201).send(refundObject(await createRefund(tenant(request), refundInputFrom(request.body, ids)), ids)),
  );

  app.get('/attribution/refunds/:id', { schema: { summary: 'Retrieve a refund', tags, params: IdParams, response: { 200: RefundObject } } }, async (request) =>
    refundObject(await getRefund(tenant(request), refundId(request.params.id)), ids),
  );

  app.patch('/attribution/refunds/:id', { schema: { summary: 'Update a refund', tags, params: IdParams, ...body, response: { 200: RefundObject } } }, async (request) =>
    refundObject(await updateRefund(tenant(request), refundId(request.params.id), refundInputFrom(request.body, ids)), ids),
  );

  app.delete('/attribution/refunds/:id', { schema: { summary: 'Delete a refund', tags, params: IdParams, response: { 200: Deleted('refund') } } }, async (request) => {
    const refund = await deleteRefund(tenant(request), refundId(request.params.id));
    return { id: ids.encode('refund', refund.id), type: 'refund' as const, deleted: true as const };
  });

  app.get(
    '/attribution/refunds',
    { schema: { summary: 'List all refunds', tags, querystring: PaginationQuery, response: { 200: Type.Object({ refunds: Type.Array(RefundObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'refund'), (bounds) => listRefunds(scoped, bounds));
      return { refunds: page.map((refund) => refundObject(refund, ids)) };
    },
  );
};
