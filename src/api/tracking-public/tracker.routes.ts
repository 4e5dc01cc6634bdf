import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TransportError } from '../http/transport-errors.js';

/** tracker/hellohub.js, from src/api/tracking-public and from dist/api/tracking-public alike. */
const TRACKER_FILE = new URL('../../../tracker/hellohub.js', import.meta.url);

/** The unversioned URL is what pages embed: a short cache lets a new version reach them soon. */
const SHORT_CACHE = 'public, max-age=300';
/** A versioned URL's content never changes. */
const LONG_CACHE = 'public, max-age=31536000, immutable';

export interface TrackerScript {
  readonly source: string;
  /** First 16 hex digits of the script's SHA-256: its version. */
  readonly hash: string;
  readonly versionedPath: string;
}

export async function loadTrackerScript(): Promise<TrackerScript> {
  const source = await readFile(TRACKER_FILE, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return { source, hash, versionedPath: `/tracker/${hash}.js` };
}

const JavaScript = Type.String({ description: 'The browser tracking script (application/javascript).' });
const NotModified = Type.Null({ description: 'The copy named in If-None-Match is current.' });

/**
 * `GET /tracker.js` and its versioned alias `GET /tracker/<hash>.js`. The script is read
 * once, when the app is built; `/tracker.js` names the alias in Content-Location, so a page
 * that wants the long-cached copy can pin it.
 */
export const trackerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const script = await loadTrackerScript();
  const etag = `"${script.hash}"`;
  const tags = ['Hellotext: browser tracking'];

  app.get('/tracker.js', { schema: { summary: 'The tracking script', tags, response: { 200: JavaScript, 304: NotModified } } }, async (request, reply) => {
    reply.header('cache-control', SHORT_CACHE).header('etag', etag).header('content-location', script.versionedPath);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
    return reply.type('application/javascript; charset=utf-8').send(script.source);
  });

  app.get(
    '/tracker/:file',
    { schema: { summary: 'The tracking script at its versioned, long-cached URL', tags, params: Type.Object({ file: Type.String() }), response: { 200: JavaScript } } },
    async (request, reply) => {
      if (request.params.file !== `${script.hash}.js`) throw new TransportError('route_not_found', `No tracker version ${request.params.file}; the current one is ${script.versionedPath}.`);
      return reply.header('cache-control', LONG_CACHE).header('etag', etag).type('application/javascript; charset=utf-8').send(script.source);
    },
  );
};
