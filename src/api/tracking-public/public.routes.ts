import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { notFound } from '../../core/shared/errors.js';
import { identifyVisitor, type PublicBusiness } from '../../core/tracking/identifications.service.js';
import { acknowledgeSession } from '../../core/tracking/sessions.service.js';
import { bodyOf } from '../hellotext/body-fields.js';
import type { SurfaceDeps } from '../http/surface.js';
import { identificationInput, sessionToken, utmParams } from './public.params.js';
import { publicBusinessOf, publicTenant } from './public-id-guard.js';
import { AckBody, IdentificationBody, PublicBusinessObject, PublicBusinessParams, Received } from './tracking-public.schema.js';

const tags = ['Hellotext: browser tracking'];

/** What this server offers the browser library; everything else it may look for is off. */
const FEATURES = { tracking: true, identifications: true, forms: false, webchat: false } as const;

function publicBusinessObject(business: PublicBusiness): Static<typeof PublicBusinessObject> {
  return {
    id: business.publicId,
    country: { code: business.country, prefix: business.callingCode },
    locale: business.locale,
    features: { ...FEATURES },
    webchat: null,
    whatsapp: null,
    whitelist: 'disabled',
    style_url: null,
  };
}

/** `/v1/public/…`: the business a page belongs to, session acknowledgements, identifications. */
export const publicRoutes: FastifyPluginAsyncTypebox<SurfaceDeps> = async (app, { ctx }) => {
  app.get(
    '/public/businesses/:id',
    { schema: { summary: 'The public settings of the business', tags, params: PublicBusinessParams, response: { 200: PublicBusinessObject } } },
    async (request) => {
      const business = publicBusinessOf(request);
      // The path names the business the header authenticated; any other id is not found.
      if (request.params.id !== business.publicId) throw notFound('Business');
      return publicBusinessObject(business);
    },
  );

  app.post(
    '/public/acks',
    { schema: { summary: "Acknowledge a session's first sight, with its UTM parameters", tags, body: AckBody, response: { 200: Received } } },
    async (request) => {
      const body = bodyOf(request.body);
      const token = sessionToken(body);
      const utm = utmParams(body);
      // The browser library acks before it has a session on some pages: nothing to record.
      if (token !== undefined) await acknowledgeSession(publicTenant(ctx, request), { token }, utm);
      return { status: 'received' as const };
    },
  );

  app.post(
    '/public/identifications',
    { schema: { summary: 'Identify the visitor of a session (finds or creates the profile)', tags, body: IdentificationBody, response: { 200: Received } } },
    async (request) => {
      await identifyVisitor(publicTenant(ctx, request), identificationInput(bodyOf(request.body)));
      return { status: 'received' as const };
    },
  );
};
