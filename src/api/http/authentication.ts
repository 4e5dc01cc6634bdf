import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { authenticateApiKey, type Authenticated } from '../../core/business/api-keys.service.js';
import type { Surface } from '../../core/business/surfaces.js';
import { forBusiness, type TenantContext } from '../../core/shared/tenant.js';
import { TransportError } from './transport-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The business whose key authenticated this request; set by `apiKeyGuard`. */
    tenant: Authenticated | null;
  }
}

/**
 * An onRequest hook: authenticates with the surface's credential scheme before the body is
 * read, so an unauthenticated client cannot make the server parse anything large.
 */
export function apiKeyGuard(
  ctx: CoreContext,
  surface: Surface,
  credential: (request: FastifyRequest) => string | undefined,
): onRequestAsyncHookHandler {
  return async (request) => {
    const token = credential(request);
    const tenant = token === undefined ? undefined : await authenticateApiKey(ctx, token, surface);
    if (!tenant) throw new TransportError('unauthorized', 'No valid API key.');
    request.tenant = tenant;
  };
}

/** The authenticated business of a request under `apiKeyGuard`. */
export function tenantOf(request: FastifyRequest): Authenticated {
  if (!request.tenant) throw new Error('route registered outside an apiKeyGuard scope');
  return request.tenant;
}

/** The core context of the request's business. */
const tenantContexts = new WeakMap<CoreContext, Map<number, TenantContext>>();

/** The request's business's context; one per business and process, since it holds no request state. */
export function tenantContext(ctx: CoreContext, request: FastifyRequest): TenantContext {
  const { businessId } = tenantOf(request);
  let contexts = tenantContexts.get(ctx);
  if (!contexts) tenantContexts.set(ctx, (contexts = new Map()));
  let scoped = contexts.get(businessId);
  if (!scoped) {
    if (contexts.size > 10_000) contexts.clear();
    contexts.set(businessId, (scoped = forBusiness(ctx, businessId)));
  }
  return scoped;
}
