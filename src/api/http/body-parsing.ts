import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { TransportError } from './transport-errors.js';

/**
 * Bracket notation (`email[work]=…`, `lists[]=a`, `address[street][name]=…`) as Rails and
 * PHP clients send it, for both form bodies and query strings, so the two encodings reach a
 * route as the same object.
 */
const QS_OPTIONS: qs.IParseOptions = {
  depth: 8,
  arrayLimit: 1000,
  parameterLimit: 5000,
  allowPrototypes: false,
  plainObjects: true,
  strictNullHandling: false,
};

export function parseBracketNotation(text: string): Record<string, unknown> {
  return qs.parse(text, QS_OPTIONS);
}

/**
 * JSON where an empty body reads as `{}` (clients post `subscribe` with a content type and
 * nothing else), and form-urlencoded through qs. Any other content type answers 415.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/, { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new TransportError('malformed_body', 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseBracketNotation(typeof body === 'string' ? body : body.toString('utf8')));
  });
}
