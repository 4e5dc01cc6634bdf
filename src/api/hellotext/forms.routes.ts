import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createForm, deleteForm, getForm, listForms, updateForm } from '../../core/commerce/forms.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { formObject } from './attribution-objects.mappers.js';
import { formInputFrom } from './attribution-objects.params.js';
import { FormObject } from './attribution-objects.schema.js';

const tags = ['Hellotext: forms'];

export const formRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const formId = (id: string) => ids.require('form', id, 'Form');

  app.post('/attribution/forms', { schema: { summary: 'Create a form', tags, body: Type.Optional(AnyBody), response: { 201: FormObject } } }, async (request, reply) =>
    reply.code(201).send(formObject(await createForm(tenant(request), formInputFrom(request.body)), ids)),
  );

  app.get('/attribution/forms/:id', { schema: { summary: 'Retrieve a form', tags, params: IdParams, response: { 200: FormObject } } }, async (request) =>
    formObject(await getForm(tenant(request), formId(request.params.id)), ids),
  );

  app.patch(
    '/attribution/forms/:id',
    { schema: { summary: 'Update a form', tags, params: IdParams, body: Type.Optional(AnyBody), response: { 200: FormObject } } },
    async (request) => formObject(await updateForm(tenant(request), formId(request.params.id), formInputFrom(request.body)), ids),
  );

  app.delete('/attribution/forms/:id', { schema: { summary: 'Delete a form', tags, params: IdParams, response: { 200: Deleted('form') } } }, async (request) => {
    const deleted = await deleteForm(tenant(request), formId(request.params.id));
    return { id: ids.encode('form', deleted.id), type: 'form' as const, deleted: true as const };
  });

  app.get(
    '/attribution/forms',
    { schema: { summary: 'List all forms', tags, querystring: PaginationQuery, response: { 200: Type.Object({ forms: Type.Array(FormObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'form'), (bounds) => listForms(scoped, bounds));
      return { forms: page.map((item) => formObject(item, ids)) };
    },
  );
};
