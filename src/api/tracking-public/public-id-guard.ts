import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { businessOfPublicId, type PublicBusiness } from '../../core/tracking/identifications.service.js';
import { forBusiness, type TenantContext } from '../../core/shared/tenant.js';
import { bearerToken } from '../http/credentials.js';
import { TransportError } from '../http/transport-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The business whose public id authenticated this request; set by `publicIdGuard`. */
    publicBusiness: PublicBusiness | null;
  }
}

/**
 * An onRequest hook: `Authorization: Bearer <public business id>`. Only the public id is
 * accepted here (an API key is refused like any unknown id), and the public id is accepted
 * nowhere else.
 */
export function publicIdGuard(ctx: CoreContext): onRequestAsyncHookHandler {
  return async (request) => {
    const publicId = bearerToken(request);
    const business = publicId === undefined ? undefined : await businessOfPublicId(ctx, publicId);
    if (!business) throw new TransportError('unauthorized', 'Send Authorization: Bearer with the public id of a business.');
    request.publicBusiness = business;
  };
}

/** The authenticated business of a request under `publicIdGuard`. */
export function publicBusinessOf(request: FastifyRequest): PublicBusiness {
  if (!request.publicBusiness) throw new Error('route registered outside a publicIdGuard scope');
  return request.publicBusiness;
}

/** The core context of the request's business. */
export function publicTenant(ctx: CoreContext, request: FastifyRequest): TenantContext {
  return forBusiness(ctx, publicBusinessOf(request).id);
}
