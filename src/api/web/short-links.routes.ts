import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { followShortLink, peekShortLink } from '../../core/messaging/short-links.service.js';
import type { SurfaceDeps } from '../http/surface.js';
import { TokenBuckets } from '../tracking-public/rate-limit.js';

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link not found</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 32rem; padding: 0 1rem"><h1>Link not found</h1><p>This link does not exist or is no longer available.</p></body></html>
`;

/**
 * `GET /s/:code`, the short links in messages: public (no credentials), at the root so the
 * links stay short. People open it in a browser, so its only failure is a small HTML page.
 */
export const shortLinkRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  // Each counted click writes a session; one address clicking past the browser-tracking rate
  // still reaches the destination, but uncounted, so a script cannot flood the sessions table.
  const perAddress = new TokenBuckets({ burst: ctx.config.TRACKING_RATE_IP_BURST, perMinute: ctx.config.TRACKING_RATE_IP_PER_MINUTE });

  app.get(
    '/s/:code',
    {
      schema: {
        summary: 'Follow a short link',
        description:
          'Redirects (302) to the destination with `hello_session=<session token>` added to its query, after counting the click and opening a tracking session tied to the link’s profile, message and campaign. HEAD, and clicks from one address past the browser-tracking rate, answer the plain destination and count nothing.',
        tags: ['Short links'],
        params: Type.Object({ code: Type.String() }),
        response: {
          302: Type.Null({ description: 'To the destination; `Location` carries the session token.' }),
          404: { description: 'An HTML page: no link has this code.', content: { 'text/html': { schema: Type.String() } } },
        },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const counted = request.method !== 'HEAD' && perAddress.take(request.ip, ctx.clock.now()) === 0;
      const location = counted ? await followShortLink(ctx, code) : await peekShortLink(ctx, code);
      if (location === undefined) return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_FOUND_PAGE);
      // Every click opens its own session, so no cache may answer for us; the token in the
      // Location is the visitor's alone and is not passed on as a referrer.
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 302);
    },
  );
};
