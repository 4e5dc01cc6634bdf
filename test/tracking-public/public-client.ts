/**
 * Shared helpers of the public tracking suites: the real app with a clock the test moves,
 * and a client that calls the public routes as a browser would (public id in the header,
 * an Origin, JSON or text/plain JSON bodies, a client address).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { PublicIds } from '../../src/core/shared/public-ids.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import { publicIdAlphabet } from '../../src/core/business/installation.service.js';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { findSessionByUuid, type SessionRow } from '../../src/core/tracking/sessions.repository.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Api, formEncode, ManualClock } from '../audience/audience-client.js';
import { testBusiness } from '../support/app.js';
import { testCore, type TestCore } from '../support/context.js';

export interface PublicApp {
  readonly app: FastifyInstance;
  readonly core: TestCore;
  readonly ids: PublicIds;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/** The real app on a migrated test database, with a ManualClock (rate limits follow it). */
export async function publicApp(config: Partial<Record<ConfigName, string>> = {}): Promise<PublicApp> {
  const clock = new ManualClock();
  const core = await testCore({ clock, config });
  const ids = new PublicIds(await publicIdAlphabet(core));
  const app = await buildApp({ ctx: core, ids, metrics: new Metrics() });
  await app.ready();
  return {
    app,
    core,
    ids,
    clock,
    close: async () => {
      await app.close();
      await core.dispose();
    },
  };
}

/** How a browser labels a JSON body: application/json, or text/plain (no preflight needed). */
export type BodyEncoding = 'json' | 'text' | 'form';
export const BROWSER_ENCODINGS: readonly BodyEncoding[] = ['json', 'text'];

export const ORIGIN = 'https://shop.example.com';

export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

export interface SendOptions {
  readonly encoding?: BodyEncoding;
  /** The Authorization bearer; null sends none. Default: the business's public id. */
  readonly bearer?: string | null;
  readonly origin?: string | null;
  readonly ip?: string;
}

/** One business as the public protocol sees it, with its private API client beside it. */
let visitors = 0;

export class Visitor {
  /** Each visitor calls from an address of its own, so suites do not share a rate-limit bucket. */
  readonly ip = `203.0.113.${(++visitors % 250) + 1}`;

  constructor(
    readonly t: Pick<PublicApp, 'app' | 'core'>,
    readonly publicId: string,
    readonly businessId: number,
    /** The private /v1 API of the same business (secret key). */
    readonly api: Api,
  ) {}

  async send<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'OPTIONS', url: string, body?: unknown, options: SendOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    const bearer = options.bearer === undefined ? this.publicId : options.bearer;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    const request: InjectOptions = { method, url, headers, remoteAddress: options.ip ?? this.ip };
    if (body !== undefined) {
      const encoding = options.encoding ?? 'json';
      if (encoding === 'form') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        request.payload = formEncode(body as Record<string, unknown>);
      } else {
        headers['content-type'] = encoding === 'json' ? 'application/json' : 'text/plain;charset=UTF-8';
        request.payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
    }
    const res = await this.t.app.inject(request);
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed as T, text: res.body, headers: res.headers };
  }

  post<T = unknown>(url: string, body?: unknown, options?: SendOptions): Promise<Answer<T>> {
    return this.send<T>('POST', url, body, options);
  }

  get<T = unknown>(url: string, options?: SendOptions): Promise<Answer<T>> {
    return this.send<T>('GET', url, undefined, options);
  }

  /** The stored session of a token, read through the core (undefined when there is none). */
  session(token: string): Promise<SessionRow | undefined> {
    return findSessionByUuid(forBusiness(this.t.core, this.businessId).tenant, token);
  }
}

/** A fresh business (country NL) seen by a browser. */
export async function visitor(t: Pick<PublicApp, 'app' | 'core'>): Promise<Visitor> {
  const { business, token } = await testBusiness(t.core);
  return new Visitor(t, business.publicId, business.id, new Api(t, token, 'json', business.id));
}

/** Asserts `{"status":"received"}` with exactly 200 and the CORS header. */
export function assertReceived(res: Answer): void {
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body, { status: 'received' });
  assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
}

/** Asserts the JSON error envelope, with the CORS header every answer carries. */
export function assertPublicError(res: Answer, status: number, type: string, parameter?: string | null): void {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.ok(res.headers['access-control-allow-origin'], 'CORS header on errors too');
  const body = res.body as { errors?: Array<{ type: string; message: string; parameter: string | null }> };
  const [error] = body.errors ?? [];
  assert.ok(error, res.text);
  assert.equal(error.type, type, res.text);
  assert.ok(error.message.length > 0);
  if (parameter !== undefined) assert.equal(error.parameter, parameter, res.text);
}

/** A client-generated session token, as the tracker makes one. */
export const newToken = (): string => crypto.randomUUID();
