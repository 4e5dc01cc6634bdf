import type { FastifyRequest } from 'fastify';

/**
 * The ways the four surfaces carry an API key. Each returns the presented key or undefined;
 * deciding whether it is valid is the core's job.
 */

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Authorization: Bearer KEY` (Hellotext). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header(request, 'authorization') ?? '');
  return match?.[1];
}

/** `?token=KEY` (Hellodialog). */
export function queryToken(request: FastifyRequest): string | undefined {
  const query = request.query;
  if (typeof query !== 'object' || query === null || !('token' in query)) return undefined;
  const token = query.token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/**
 * `Authorization: basic base64(user:KEY)` with any user name, scheme name in any case
 * (Hello Customer and eSputnik both send the key as the password).
 */
export function basicPassword(request: FastifyRequest): string | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header(request, 'authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon === -1 ? decoded : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}
