import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { TransportError } from './transport-errors.js';

/**
 * Bracket notation (`email[work]=…`, `lists[]=a`, `address[street][name]=…`) as Rails and
 * PHP clients send it, for both form bodies and query strings, so the two encodings reach a
 * route as the same object. Past the limits qs would silently change the shape (an array
 * turning into an object, keys dropped, deep keys kept literally): refuse instead.
 */
const QS_OPTIONS: qs.IParseOptions = {
  depth: 8,
  strictDepth: true,
  arrayLimit: 10_000,
  parameterLimit: 10_000,
  throwOnLimitExceeded: true,
  allowPrototypes: false,
  plainObjects: true,
};

export function parseBracketNotation(text: string): Record<string, unknown> {
  try {
    return qs.parse(text, QS_OPTIONS);
  } catch (error) {
    throw new TransportError('malformed_body', `The parameters could not be read: ${error instanceof Error ? error.message : 'too many or too deep'}.`);
  }
}

const QUERY_ERROR = Symbol('unreadable query string');
type ParsedQuery = Record<string, unknown> & { [QUERY_ERROR]?: TransportError };

/**
 * The query string parser. Fastify runs it while routing, where a throw would escape every
 * error handler, so a refusal is carried on the result and raised by `rejectUnreadableQuery`.
 */
export function parseQueryString(text: string): ParsedQuery {
  // Most requests carry no query string: skip qs, as it costs per call.
  if (text === '') return {};
  try {
    return parseBracketNotation(text);
  } catch (error) {
    return error instanceof TransportError ? { [QUERY_ERROR]: error } : { [QUERY_ERROR]: new TransportError('malformed_body', 'The query string could not be read.') };
  }
}

/** An onRequest hook: a refused query string answers 400 in the route's own envelope. */
export async function rejectUnreadableQuery(request: { query: unknown }): Promise<void> {
  const query = request.query as ParsedQuery | undefined;
  const error = query?.[QUERY_ERROR];
  if (error) throw error;
}

/**
 * JSON through Fastify's own parser (it refuses `__proto__` and `constructor.prototype`
 * keys), except that an empty body reads as `{}`: clients post `subscribe` with a content
 * type and nothing else. Form bodies go through qs. Any other content type answers 415.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  const secureJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/, { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    secureJson.call(app, request, text, done);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseBracketNotation(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });
}
