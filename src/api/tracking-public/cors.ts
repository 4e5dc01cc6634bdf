import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for any origin: the tracking routes are called from every shop's own pages. No
 * cookie or other ambient credential is involved (the public id travels in a header the
 * page sets), so answering the caller's origin grants nothing a page could not do anyway.
 */

const ALLOWED_HEADERS = 'authorization, content-type, accept';
const ALLOWED_METHODS = 'GET, POST, PATCH, OPTIONS';
/** How long a browser may reuse a preflight answer (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

function origin(request: FastifyRequest): string {
  const given = request.headers.origin;
  return typeof given === 'string' && given !== '' && given !== 'null' ? given : '*';
}

/** An onRequest hook: every answer, errors included, carries the CORS headers. */
export async function allowAnyOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('access-control-allow-origin', origin(request));
  reply.header('access-control-expose-headers', 'retry-after, x-request-id');
  reply.header('vary', 'Origin');
}

/** The preflight answer of each path: 204, without authentication or rate limits. */
export function answerPreflights(app: FastifyInstance, paths: readonly string[]): void {
  for (const path of paths) {
    app.options(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
        .send(),
    );
  }
}
