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
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'token', 'password', 'pass'],
      censor: '[redacted]',
    },
    },
    pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: true }),
  );
}

/** Masks credentials carried in a URL's query string (Hellodialog's `?token=`). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|api_key|key)=)[^&#]*/gi, '$1[redacted]');
}
