import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { addOrderItem, createOrder, deleteOrder, deleteOrderItem, getOrder, listOrders, updateOrder, updateOrderItem } from '../../core/commerce/orders.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { orderItemAlone, orderObject } from './catalog.mappers.js';
import { orderChangesFrom, orderInputFrom, orderItemChangeFrom, orderItemInputFrom } from './catalog.params.js';
import { OrderItemAlone, OrderItemParams, OrderObject } from './catalog.schema.js';

const tags = ['Hellotext: orders'];

export const orderRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const orderId = (id: string, parameter = 'id') => ids.require('order', id, 'Order', parameter);
  const itemId = (id: string) => ids.require('order_item', id, 'Order item');
  const body = { body: Type.Optional(AnyBody) };

  app.post('/attribution/orders', { schema: { summary: 'Create an order', tags, ...body, response: { 201: OrderObject } } }, async (request, reply) =>
    reply.code(201).send(orderObject(await createOrder(tenant(request), orderInputFrom(request.body, ids)), ids)),
  );

  app.get('/attribution/orders/:id', { schema: { summary: 'Retrieve an order', tags, params: IdParams, response: { 200: OrderObject } } }, async (request) =>
    orderObject(await getOrder(tenant(request), orderId(request.params.id)), ids),
  );

  app.patch('/attribution/orders/:id', { schema: { summary: 'Update an order', tags, params: IdParams, ...body, response: { 200: OrderObject } } }, async (request) =>
    orderObject(await updateOrder(tenant(request), orderId(request.params.id), orderChangesFrom(request.body, ids)), ids),
  );

  app.delete('/attribution/orders/:id', { schema: { summary: 'Delete an order', tags, params: IdParams, response: { 200: Deleted('order') } } }, async (request) => {
    const order = await deleteOrder(tenant(request), orderId(request.params.id));
    return { id: ids.encode('order', order.id), type: 'order' as const, deleted: true as const };
  });

  app.get(
    '/attribution/orders',
    { schema: { summary: 'List all orders', tags, querystring: PaginationQuery, response: { 200: Type.Object({ orders: Type.Array(OrderObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'order'), (bounds) => listOrders(scoped, bounds));
      return { orders: page.map((order) => orderObject(order, ids)) };
    },
  );

  app.post(
    '/attribution/orders/:order/items',
    { schema: { summary: "Add an item to an order (its total follows)", tags, params: Type.Object({ order: Type.String() }), ...body, response: { 201: OrderItemAlone } } },
    async (request, reply) => {
      const item = await addOrderItem(tenant(request), orderId(request.params.order, 'order'), orderItemInputFrom(request.body, ids));
      return reply.code(201).send(orderItemAlone(item, ids));
    },
  );

  app.patch(
    '/attribution/orders/:order/items/:id',
    { schema: { summary: "Update an order item's price or quantity (the order's total follows)", tags, params: OrderItemParams, ...body, response: { 200: OrderItemAlone } } },
    async (request) => {
      const item = await updateOrderItem(tenant(request), orderId(request.params.order, 'order'), itemId(request.params.id), orderItemChangeFrom(request.body));
      return orderItemAlone(item, ids);
    },
  );

  app.delete(
    '/attribution/orders/:order/items/:id',
    { schema: { summary: "Remove an item from an order (its total follows)", tags, params: OrderItemParams, response: { 200: Deleted('order_item') } } },
    async (request) => {
      const item = await deleteOrderItem(tenant(request), orderId(request.params.order, 'order'), itemId(request.params.id));
      return { id: ids.encode('order_item', item.id), type: 'order_item' as const, deleted: true as const };
    },
  );
};
