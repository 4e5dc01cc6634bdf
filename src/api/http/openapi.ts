import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';

/**
 * Documents every route of a surface in the OpenAPI document: its authentication scheme and
 * its error envelope for 4xx and 5xx answers (a route's own response schemas win).
 */
export function documentSurface(scope: FastifyInstance, options: { security: string; tag: string; errorEnvelope: TSchema }): void {
  scope.addHook('onRoute', (route) => {
    const schema = route.schema ?? {};
    const response = typeof schema.response === 'object' && schema.response !== null ? schema.response : {};
    route.schema = {
      ...schema,
      tags: schema.tags ?? [options.tag],
      security: [{ [options.security]: [] }],
      response: { '4xx': options.errorEnvelope, '5xx': options.errorEnvelope, ...response },
    };
  });
}
