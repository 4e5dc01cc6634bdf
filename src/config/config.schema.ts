/**
 * Every environment variable hellohub reads, with its documentation, default and parser.
 * The README's configuration table mirrors this list; `loadConfig` is the only reader.
 */

import { isCountryCode, isCurrencyCode, isTimeZone } from '../core/business/locale.js';
import ipaddr from 'ipaddr.js';

export class ConfigValueError extends Error {}

type Parser<T> = (raw: string) => T;

export interface Variable<T, D extends string | undefined = string | undefined> {
  readonly doc: string;
  /** Raw default, parsed like a given value; `undefined` means optional with no value. */
  readonly default: D;
  readonly parse: Parser<T>;
}

function variable<T, const D extends string | undefined>(doc: string, defaultValue: D, parse: Parser<T>): Variable<T, D> {
  return { doc, default: defaultValue, parse };
}

const text: Parser<string> = (raw) => raw;

function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigValueError(`expected an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigValueError(`expected ${min}..${max}, got ${value}`);
    return value;
  };
}

const boolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off', ''].includes(value)) return false;
  throw new ConfigValueError(`expected true or false, got "${raw}"`);
};

/**
 * Which proxies' X-Forwarded-For to believe, in Fastify's terms: false (none), true (any),
 * or a comma-separated list of addresses and CIDR ranges.
 */
const trustedProxies: Parser<boolean | string[]> = (raw) => {
  const value = raw.trim();
  if (['', 'false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const valid = entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
    if (!valid) throw new ConfigValueError(`expected true, false or addresses/CIDR ranges, got "${entry}"`);
  }
  return entries;
};

function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const match = values.find((value) => value === raw.trim().toLowerCase());
    if (!match) throw new ConfigValueError(`expected one of ${values.join(', ')}, got "${raw}"`);
    return match;
  };
}

const httpUrl: Parser<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigValueError(`expected an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValueError(`expected an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
};

function checked(test: (value: string) => boolean, what: string): Parser<string> {
  return (raw) => {
    const value = raw.trim();
    if (!test(value)) throw new ConfigValueError(`expected ${what}, got "${raw}"`);
    return value;
  };
}

const postgresUrl: Parser<string> = (raw) => {
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigValueError('expected postgres://user:pass@host:5432/db');
  }
  return raw;
};

/** A comma-separated list of words, each trimmed; blanks dropped. */
const wordList: Parser<readonly string[]> = (raw) =>
  raw
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');

export const configSchema = {
  PORT: variable('TCP port the HTTP server listens on.', '8080', integer(0, 65535)),
  HOST: variable('Interface the HTTP server binds to.', '0.0.0.0', text),
  PUBLIC_URL: variable(
    'Base of every absolute link hellohub writes (short links, unsubscribe, surveys, tracking). Default http://localhost:PORT.',
    undefined,
    httpUrl,
  ),
  TRUST_PROXY: variable(
    'Proxies whose X-Forwarded-For is believed (client address for logs and per-address limits): false, true, or comma-separated addresses/CIDRs.',
    'false',
    trustedProxies,
  ),
  DATA_DIR: variable('Directory of the embedded SQLite database and other local state.', './data', text),
  DATABASE_URL: variable('postgres://… to use PostgreSQL instead of the embedded SQLite file.', undefined, postgresUrl),
  DATABASE_POOL_SIZE: variable('PostgreSQL connections per process, beside the two of the thread that writes tracked events.', '10', integer(1, 200)),
  LOG_LEVEL: variable('pino log level.', 'info', oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  BODY_LIMIT_BYTES: variable('Largest accepted request body.', '1048576', integer(1024, 1024 * 1024 * 1024)),
  ALLOW_PRIVATE_URLS: variable(
    'Let outbound fetches (images, attachments, webhooks) reach loopback, private and link-local addresses.',
    'false',
    boolean,
  ),
  OUTBOUND_TIMEOUT_MS: variable('Time limit of one outbound HTTP fetch.', '10000', integer(100, 600_000)),
  WORKER_CONCURRENCY: variable('Jobs one process runs at the same time (0 disables the in-process worker of serve). Sends mostly wait on the network, so more than cores.', '16', integer(0, 256)),
  WORKER_POLL_MS: variable('How often an idle worker looks for due jobs.', '500', integer(10, 60_000)),
  JOB_LEASE_SECONDS: variable('How long a claimed job stays reserved before another worker may take it over.', '60', integer(1, 86_400)),
  JOB_MAX_ATTEMPTS: variable('Attempts before a failing job is marked dead.', '8', integer(1, 100)),
  JOB_BACKOFF_BASE_MS: variable('First retry delay; each retry doubles it (with jitter).', '1000', integer(1, 3_600_000)),
  JOB_BACKOFF_MAX_MS: variable('Longest retry delay.', '3600000', integer(1, 86_400_000)),
  SHUTDOWN_TIMEOUT_MS: variable('Longest wait for in-flight requests and jobs on SIGTERM.', '10000', integer(0, 600_000)),
  METRICS_PORT: variable('When set, `hellohub worker` serves GET /metrics on this port (serve has it on PORT).', undefined, integer(0, 65535)),
  METRICS_TOKEN: variable('When set, GET /metrics requires Authorization: Bearer METRICS_TOKEN.', undefined, text),
  API_KEY_CACHE_MS: variable(
    'How long a process keeps an API key lookup; a revocation made by another process takes effect within it (0: every request).',
    '1000',
    integer(0, 60_000),
  ),
  EVENT_BATCH_MAX: variable(
    'Most tracked events written in one transaction (group commit: events arriving while one batch commits form the next).',
    '256',
    integer(1, 5_000),
  ),
  TRACKING_RATE_IP_PER_MINUTE: variable(
    'Browser tracking (/v1/track, /v1/public): requests one client address may make per minute, sustained (in-process token bucket).',
    '600',
    integer(1, 1_000_000),
  ),
  TRACKING_RATE_IP_BURST: variable('Browser tracking: requests one client address may make at once before the per-minute rate applies.', '120', integer(1, 1_000_000)),
  TRACKING_RATE_SESSION_PER_MINUTE: variable('Browser tracking: requests naming one session may make per minute, sustained (in-process token bucket).', '120', integer(1, 1_000_000)),
  TRACKING_RATE_SESSION_BURST: variable('Browser tracking: requests naming one session may make at once before the per-minute rate applies.', '60', integer(1, 1_000_000)),
  TEMPLATE_APPROVAL_DELAY_MS: variable(
    'How long the dev-inbox provider takes to approve a WhatsApp template (providers with a real review ignore it).',
    '5000',
    integer(0, 86_400_000),
  ),
  OPT_OUT_KEYWORDS: variable('Inbound messages that unsubscribe their sender (comma-separated; the whole message, any case).', 'STOP,UNSUBSCRIBE,BAJA', wordList),
  OPT_IN_KEYWORDS: variable('Inbound messages that subscribe their sender again (comma-separated; the whole message, any case).', 'START,SUBSCRIBE,ALTA', wordList),
  OPT_OUT_REPLY: variable('The answer to an opt-out keyword.', 'You are unsubscribed and will get no more messages. Reply START to subscribe again.', text),
  OPT_IN_REPLY: variable('The answer to an opt-in keyword.', 'You are subscribed again. Reply STOP to unsubscribe.', text),
  DEFAULT_BUSINESS_NAME: variable('Name of the business created on first start of an empty database.', 'My business', checked((value) => value.length > 0 && value.length <= 200, '1 to 200 characters')),
  DEFAULT_COUNTRY: variable('Country (ISO 3166-1 alpha-2) of businesses created without one.', 'US', checked(isCountryCode, 'an ISO 3166-1 alpha-2 code such as NL')),
  DEFAULT_CURRENCY: variable('Currency (ISO 4217) of businesses created without one.', 'USD', checked(isCurrencyCode, 'an ISO 4217 code such as EUR')),
  DEFAULT_TIMEZONE: variable('IANA timezone of businesses created without one.', 'UTC', checked(isTimeZone, 'an IANA time zone such as Europe/Amsterdam')),
} as const;

export type ConfigSchema = typeof configSchema;
export type ConfigName = keyof ConfigSchema;
