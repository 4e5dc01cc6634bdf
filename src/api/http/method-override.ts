import type { IncomingMessage } from 'node:http';

const OVERRIDABLE = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * Hellodialog lets clients that can only GET or POST name the method in the query:
 * `GET /api/contacts/58328?method=PUT`. Fastify routes on `req.method` right after
 * `rewriteUrl`, so this runs there and changes the method before the route is chosen.
 * Only the Hellodialog mount (`/api/…` but not eSputnik's `/api/v1` and `/api/v2`) honours it.
 */
export function applyMethodOverride(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  if (query === -1) return url;
  // The router matches decoded paths: `/api/%761/…` is eSputnik's `/api/v1/…`.
  let path: string;
  try {
    path = decodeURIComponent(url.slice(0, query));
  } catch {
    return url;
  }
  if (!path.startsWith('/api/') || /^\/api\/v\d+(\/|$)/.test(path)) return url;
  const requested = new URLSearchParams(url.slice(query + 1)).get('method')?.toUpperCase();
  if (requested && OVERRIDABLE.has(requested)) req.method = requested;
  return url;
}
