import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from '../../core/messaging/templates.service.js';
import { pageByKey } from '../../core/shared/pagination.js';
import { tenantContext } from '../http/authentication.js';
import { PaginationQuery, pageRequest } from '../http/pagination.js';
import type { SurfaceDeps } from '../http/surface.js';
import { AnyBody, Deleted, IdParams } from './audience.schema.js';
import { templateObject } from './templates.mappers.js';
import { templateInputFrom } from './templates.params.js';
import { TemplateObject } from './templates.schema.js';

const tags = ['Hellotext: templates'];

export const templateRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx, ids }) => {
  const tenant = (request: FastifyRequest) => tenantContext(ctx, request);
  const templateId = (id: string) => ids.require('template', id, 'Template');

  app.post('/templates', { schema: { summary: 'Create a template', tags, body: Type.Optional(AnyBody), response: { 201: TemplateObject } } }, async (request, reply) =>
    reply.code(201).send(templateObject(await createTemplate(tenant(request), templateInputFrom(request.body)), ids)),
  );

  app.get('/templates/:id', { schema: { summary: 'Retrieve a template', tags, params: IdParams, response: { 200: TemplateObject } } }, async (request) =>
    templateObject(await getTemplate(tenant(request), templateId(request.params.id)), ids),
  );

  app.patch(
    '/templates/:id',
    {
      schema: {
        summary: 'Update a template (partial: parameters not given are kept; WhatsApp templates once a day, never while pending)',
        tags,
        params: IdParams,
        body: Type.Optional(AnyBody),
        response: { 200: TemplateObject },
      },
    },
    async (request) => templateObject(await updateTemplate(tenant(request), templateId(request.params.id), templateInputFrom(request.body)), ids),
  );

  app.delete('/templates/:id', { schema: { summary: 'Delete a template', tags, params: IdParams, response: { 200: Deleted('template') } } }, async (request) => {
    const deleted = await deleteTemplate(tenant(request), templateId(request.params.id));
    return { id: ids.encode('template', deleted.id), type: 'template' as const, deleted: true as const };
  });

  app.get(
    '/templates',
    { schema: { summary: 'List all templates', tags, querystring: PaginationQuery, response: { 200: Type.Object({ templates: Type.Array(TemplateObject) }) } } },
    async (request) => {
      const scoped = tenant(request);
      const page = await pageByKey(pageRequest(request.query, ids, 'template'), (bounds) => listTemplates(scoped, bounds));
      return { templates: page.map((template) => templateObject(template, ids)) };
    },
  );
};
