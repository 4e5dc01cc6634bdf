import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createCart, deleteCart, getCart, listCarts, updateCart } from '../../core/commerce/carts.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { cartObject } from './catalog.mappers.js';
import { cartInputFrom } from './catalog.params.js';
import { CartObject } from './catalog.schema.js';

const tags = ['Hellotext: carts'];

export const cartRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const cartId = (id: string) => ids.require('cart', id, 'Cart');
  const body = { body: Type.Optional(AnyBody) };

  app.post('/attribution/carts', { schema: { summary: 'Create a cart (profile or session required)', tags, ...body, response: { 201: CartObject } } }, async (request, reply) =>
    reply.code(201).send(cartObject(await createCart(tenant(request), cartInputFrom(request.body, ids)), ids)),
  );

  app.get('/attribution/carts/:id', { schema: { summary: 'Retrieve a cart', tags, params: IdParams, response: { 200: CartObject } } }, async (request) =>
    cartObject(await getCart(tenant(request), cartId(request.params.id)), ids),
  );

  app.patch(
    '/attribution/carts/:id',
    { schema: { summary: 'Update a cart; `items` replaces the items (`[]` empties it), `new_items` adds', tags, params: IdParams, ...body, response: { 200: CartObject } } },
    async (request) => cartObject(await updateCart(tenant(request), cartId(request.params.id), cartInputFrom(request.body, ids)), ids),
  );

  app.delete('/attribution/carts/:id', { schema: { summary: 'Delete a cart', tags, params: IdParams, response: { 200: Deleted('cart') } } }, async (request) => {
    const cart = await deleteCart(tenant(request), cartId(request.params.id));
    return { id: ids.encode('cart', cart.id), type: 'cart' as const, deleted: true as const };
  });

  app.get(
    '/attribution/carts',
    { schema: { summary: 'List all carts', tags, querystring: PaginationQuery, response: { 200: Type.Object({ carts: Type.Array(CartObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'cart'), (bounds) => listCarts(scoped, bounds));
      return { carts: page.map((cart) => cartObject(cart, ids)) };
    },
  );
};
