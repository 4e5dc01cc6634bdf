import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createCoupon, deleteCoupon, getCoupon, listCoupons, updateCoupon } from '../../core/commerce/coupons.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { couponObject } from './attribution-objects.mappers.js';
import { couponInputFrom } from './attribution-objects.params.js';
import { CouponObject } from './attribution-objects.schema.js';

const tags = ['Hellotext: coupons'];

export const couponRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const couponId = (id: string) => ids.require('coupon', id, 'Coupon');

  app.post('/coupons', { schema: { summary: 'Create a coupon', tags, body: Type.Optional(AnyBody), response: { 201: CouponObject } } }, async (request, reply) =>
    reply.code(201).send(couponObject(await createCoupon(tenant(request), couponInputFrom(request.body)), ids)),
  );

  app.get('/coupons/:id', { schema: { summary: 'Retrieve a coupon', tags, params: IdParams, response: { 200: CouponObject } } }, async (request) =>
    couponObject(await getCoupon(tenant(request), couponId(request.params.id)), ids),
  );

  app.patch(
    '/coupons/:id',
    { schema: { summary: 'Update a coupon (partial: parameters not given are kept)', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: CouponObject } } },
    async (request) => couponObject(await updateCoupon(tenant(request), couponId(request.params.id), couponInputFrom(request.body)), ids),
  );

  app.delete('/coupons/:id', { schema: { summary: 'Delete a coupon', tags, params: IdParams, response: { 200: Deleted('coupon') } } }, async (request) => {
    const deleted = await deleteCoupon(tenant(request), couponId(request.params.id));
    return { id: ids.encode('coupon', deleted.id), type: 'coupon' as const, deleted: true as const };
  });

  app.get(
    '/coupons',
    { schema: { summary: 'List all coupons', tags, querystring: PaginationQuery, response: { 200: Type.Object({ coupons: Type.Array(CouponObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'coupon'), (bounds) => listCoupons(scoped, bounds));
      return { coupons: page.map((item) => couponObject(item, ids)) };
    },
  );
};
