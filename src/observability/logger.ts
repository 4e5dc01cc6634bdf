import { pino, type Logger } from 'pino';

/**
 * JSON logs on stdout. Secrets never reach a line: API keys travel in the Authorization
 * header or the `token` query parameter, both removed here; bodies are never logged.
 * One-shot CLI commands log to stderr so their stdout carries only their answer.
 */
export function createLogger(level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    {
      level,
      base: { service: 'hellohub' },
      redact: {
        // rawPacket: Fastify logs the raw bytes of a request it could not parse.
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'err.rawPacket', 'token', 'password', 'pass'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: true }),
  );
}

const SECRET_PARAMETERS = new Set(['token', 'api_key', 'key', 'password']);

/**
 * Masks credentials carried in a URL's query string (Hellodialog's `?token=`), whatever way
 * the name is encoded (`%74oken` authenticates too, so it must be masked too).
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const masked = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const [rawName = ''] = pair.split('=', 1);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      const base = name.replace(/\[.*$/, '').trim().toLowerCase();
      return SECRET_PARAMETERS.has(base) ? `${rawName}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, start)}?${masked}`;
}
