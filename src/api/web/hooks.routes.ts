import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { handleProviderWebhook } from '../../core/messaging/messages.hooks.js';
import type { SurfaceDeps } from '../http/surface.js';

const Params = Type.Object({ provider: Type.String(), channel: Type.String() });

/**
 * `/hooks/<provider>/<channel id>`: receipts and customers' messages from delivery providers
 * (Twilio-compatible gateways, WhatsApp Cloud), and WhatsApp's GET verification. Public: each
 * request is verified by the provider's own signature with the channel's settings. Bodies are
 * kept as raw bytes, whatever their type, because the signatures cover exactly those bytes.
 */
export const hookRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  // Encapsulated: the rest of the application keeps its JSON and form parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const handle = async (request: FastifyRequest<{ Params: { provider: string; channel: string } }>, reply: FastifyReply) => {
    const { provider, channel } = request.params;
    const search = new URL(request.url, 'http://hook.invalid').searchParams;
    const answer = await handleProviderWebhook(ctx, provider, /^\d{1,15}$/.test(channel) ? Number(channel) : undefined, {
      method: request.method,
      headers: request.headers,
      query: Object.fromEntries(search.entries()),
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      // As the peer called it: Twilio signs the public URL, which the Host header may not show behind a proxy.
      url: `${ctx.config.PUBLIC_URL}${request.url}`,
      receivedAt: ctx.clock.now(),
    });
    return reply.code(answer.status).header('cache-control', 'no-store').type(answer.contentType).send(answer.body);
  };

  const schema = {
    summary: 'Provider webhooks: receipts, customers’ messages, verification',
    description: 'Verified with the channel’s settings (X-Twilio-Signature, X-Hub-Signature-256, hub.verify_token); the URL is the channel’s `webhook_url`.',
    tags: ['Provider webhooks'],
    params: Params,
    response: { '2xx': Type.String(), '4xx': Type.String(), '5xx': Type.String() },
  };
  app.get('/hooks/:provider/:channel', { schema }, handle);
  app.post('/hooks/:provider/:channel', { schema }, handle);
};
