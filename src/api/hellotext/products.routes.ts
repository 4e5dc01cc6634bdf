import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from '../../core/commerce/products.service.js';
import { createVariant, deleteVariant, getVariant, updateVariant, type VariantRef } from '../../core/commerce/variants.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { productObject, variantObject } from './catalog.mappers.js';
import { productInputFrom, variantInputFrom } from './catalog.params.js';
import { ProductObject, ProductParams, VariantObject } from './catalog.schema.js';

const tags = ['Hellotext: products'];

export const productRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  /** Products are addressed by id, reference or sku (of any of their variants). */
  const productRef = (text: string) => ({ productId: ids.decode('product', text), text });
  /** Variants by id, reference or sku. */
  const variantRef = (text: string): VariantRef => ({ id: ids.decode('product_variant', text), text });
  const body = { body: Type.Optional(AnyBody) };

  app.post('/attribution/products', { schema: { summary: 'Create a product', tags, ...body, response: { 201: ProductObject } } }, async (request, reply) =>
    reply.code(201).send(productObject(await createProduct(tenant(request), productInputFrom(request.body, ids)), ids)),
  );

  app.get('/attribution/products/:id', { schema: { summary: 'Retrieve a product (by id, reference or sku)', tags, params: IdParams, response: { 200: ProductObject } } }, async (request) =>
    productObject(await getProduct(tenant(request), productRef(request.params.id)), ids),
  );

  app.patch(
    '/attribution/products/:id',
    {
      schema: {
        summary: 'Update a product (by id, reference or sku); `variants` replaces the variants (`[]` removes all), `new_variants` adds',
        tags,
        params: IdParams,
        ...body,
        response: { 200: ProductObject },
      },
    },
    async (request) => productObject(await updateProduct(tenant(request), productRef(request.params.id), productInputFrom(request.body, ids)), ids),
  );

  app.delete('/attribution/products/:id', { schema: { summary: 'Delete a product (by id, reference or sku)', tags, params: IdParams, response: { 200: Deleted('product') } } }, async (request) => {
    const product = await deleteProduct(tenant(request), productRef(request.params.id));
    return { id: ids.encode('product', product.id), type: 'product' as const, deleted: true as const };
  });

  app.get(
    '/attribution/products',
    { schema: { summary: 'List all products', tags, querystring: PaginationQuery, response: { 200: Type.Object({ products: Type.Array(ProductObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'product'), (bounds) => listProducts(scoped, bounds));
      return { products: page.map((product) => productObject(product, ids)) };
    },
  );

  app.post(
    '/attribution/products/:product/variants',
    { schema: { summary: 'Create a product variant (the product by id, reference or sku)', tags, params: ProductParams, ...body, response: { 201: VariantObject } } },
    async (request, reply) => reply.code(201).send(variantObject(await createVariant(tenant(request), productRef(request.params.product), variantInputFrom(request.body, ids)), ids)),
  );

  app.get('/attribution/variants/:id', { schema: { summary: 'Retrieve a product variant (by id, reference or sku)', tags, params: IdParams, response: { 200: VariantObject } } }, async (request) =>
    variantObject(await getVariant(tenant(request), variantRef(request.params.id)), ids),
  );

  app.patch(
    '/attribution/variants/:id',
    { schema: { summary: 'Update a product variant (by id, reference or sku)', tags, params: IdParams, ...body, response: { 200: VariantObject } } },
    async (request) => variantObject(await updateVariant(tenant(request), variantRef(request.params.id), variantInputFrom(request.body, ids)), ids),
  );

  app.delete(
    '/attribution/variants/:id',
    { schema: { summary: 'Delete a product variant (by id, reference or sku)', tags, params: IdParams, response: { 200: Deleted('product_variant') } } },
    async (request) => {
      const variant = await deleteVariant(tenant(request), variantRef(request.params.id));
      return { id: ids.encode('product_variant', variant.id), type: 'product_variant' as const, deleted: true as const };
    },
  );
};
