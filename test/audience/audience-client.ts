/**
 * Shared helpers of the audience HTTP suites: the real app with a clock the test moves, a
 * tenant-bound client that sends the same parameters as JSON or as a bracket-notation form,
 * and minimal types of the wire objects.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { PublicIds } from '../../src/core/shared/public-ids.js';
import { publicIdAlphabet } from '../../src/core/business/installation.service.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { Metrics } from '../../src/observability/metrics.js';
import { bearer, testBusiness } from '../support/app.js';
import { testCore, type TestCore } from '../support/context.js';

// Wire shapes, as much as the tests read of them.

export interface ListJson {
  id: string;
  type: 'list';
  name: string;
  created_at: number;
}

export interface ProfilePropertyJson {
  id: string;
  kind: string;
  name: string | null;
  value: unknown;
  verified?: boolean;
}

export interface ProfileJson {
  id: string;
  type: 'profile';
  blocked: boolean;
  created_at: number;
  emails: string[];
  first_name: string | null;
  last_name: string | null;
  lists: ListJson[];
  phones: string[];
  properties: ProfilePropertyJson[];
  state: 'unconfirmed' | 'subscribed' | 'unsubscribed';
  verified_emails: string[];
  verified_phones: string[];
  timezone: string;
  last_activity_at: number;
}

export interface PropertyJson {
  id: string;
  type: 'property';
  created_at: number;
  kind: string;
  name: string | null;
  position: number;
  profile: string | null;
  unique: boolean;
}

export interface SuppressionJson {
  id: string;
  type: 'suppression';
  channel: 'email' | 'phone';
  address: string;
  reason: string;
  created_at: number;
}

export interface ActivityJson {
  id: string;
  type: 'activity';
  kind: string;
  data: Record<string, unknown>;
  occurred_at: number;
}

export interface ErrorJson {
  errors: Array<{ type: string; message: string; parameter: string | null }>;
}

/** The documented keys of each object, and the extensions our profile adds (see audience.schema.ts). */
export const PROFILE_KEYS = [
  'id',
  'type',
  'blocked',
  'created_at',
  'emails',
  'first_name',
  'last_name',
  'lists',
  'phones',
  'properties',
  'state',
  'verified_emails',
  'verified_phones',
];
export const PROFILE_EXTENSION_KEYS = ['timezone', 'language', 'reference', 'last_activity_at'];
export const PROPERTY_KEYS = ['id', 'type', 'created_at', 'kind', 'name', 'position', 'profile', 'unique'];
export const LIST_KEYS = ['id', 'type', 'name', 'created_at'];

export const sortedKeys = (value: object): string[] => Object.keys(value).sort();

// The app, with a clock the tests move.

/** Epoch milliseconds that only move when a test says so. */
export class ManualClock implements Clock {
  #ms = Date.UTC(2026, 0, 15, 12, 0, 0);
  now(): number {
    return this.#ms;
  }
  /** Moves forward by whole seconds (the resolution of every stored time). */
  tick(seconds = 1): void {
    this.#ms += seconds * 1000;
  }
  get seconds(): number {
    return Math.floor(this.#ms / 1000);
  }
}

/** What the suites use of testApp()'s result, plus the clock. */
export interface AudienceApp {
  readonly app: FastifyInstance;
  readonly core: TestCore;
  readonly ids: PublicIds;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/** testApp() with a ManualClock: the real app on a migrated SQLite file (or TEST_DATABASE_URL). */
export async function audienceApp(): Promise<AudienceApp> {
  const clock = new ManualClock();
  const core = await testCore({ clock });
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

// Bodies in both encodings.

export type Encoding = 'json' | 'form';
export const ENCODINGS: readonly Encoding[] = ['json', 'form'];

const encodeKey = (key: string): string => encodeURIComponent(key);

/**
 * Bracket notation as Rails and PHP clients write it: `email[work]=…`, `lists[]=a`,
 * `address[street][name]=…`, `items[0][product]=…`; an empty array is `lists[]=` and null or
 * `{}` an empty value.
 */
export function formEncode(body: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown): void => {
    if (value === null || value === undefined) pairs.push(`${key}=`);
    else if (Array.isArray(value)) {
      if (value.length === 0) pairs.push(`${key}[]=`);
      // Hashes in an array are indexed (`items[0][product]=…`) so their keys stay together.
      value.forEach((item, index) => walk(typeof item === 'object' && item !== null ? `${key}[${index}]` : `${key}[]`, item));
    } else if (typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) pairs.push(`${key}=`);
      for (const [sub, item] of entries) walk(`${key}[${encodeKey(sub)}]`, item);
    } else pairs.push(`${key}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(body)) walk(encodeKey(key), value);
  return pairs.join('&');
}

export interface Reply<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A client of one business's /v1 API, sending bodies in one encoding. */
export class Api {
  constructor(
    readonly t: Pick<AudienceApp, 'app'>,
    readonly token: string,
    readonly encoding: Encoding = 'json',
    readonly businessId = 0,
  ) {}

  /** Same business, other encoding. */
  as(encoding: Encoding): Api {
    return new Api(this.t, this.token, encoding, this.businessId);
  }

  async request<T>(method: Method, url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    const options: InjectOptions = { method, url: `/v1${url}`, headers: bearer(this.token) };
    if (body !== undefined) {
      if (this.encoding === 'json') {
        options.headers = { ...options.headers, 'content-type': 'application/json' };
        options.payload = JSON.stringify(body);
      } else {
        options.headers = { ...options.headers, 'content-type': 'application/x-www-form-urlencoded' };
        options.payload = formEncode(body);
      }
    }
    const res = await this.t.app.inject(options);
    const text = res.body;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed as T, text };
  }

  get<T>(url: string): Promise<Reply<T>> {
    return this.request<T>('GET', url);
  }
  post<T>(url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    return this.request<T>('POST', url, body);
  }
  patch<T>(url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    return this.request<T>('PATCH', url, body);
  }
  delete<T>(url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    return this.request<T>('DELETE', url, body);
  }

  // Shortcuts that assert success.

  async createProfile(body: Record<string, unknown> = {}): Promise<string> {
    const res = await this.post<{ id: string }>('/profiles', body);
    assert.equal(res.status, 201, res.text);
    return res.body.id;
  }

  async profile(id: string): Promise<ProfileJson> {
    const res = await this.get<ProfileJson>(`/profiles/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  async updateProfile(id: string, body: Record<string, unknown>): Promise<ProfileJson> {
    const res = await this.patch<{ id: string; updated: boolean }>(`/profiles/${id}`, body);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { id, updated: true });
    return this.profile(id);
  }

  async createProperty(body: Record<string, unknown>): Promise<PropertyJson> {
    const res = await this.post<PropertyJson>('/properties', body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async property(id: string): Promise<PropertyJson> {
    const res = await this.get<PropertyJson>(`/properties/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  async createList(name: string): Promise<ListJson> {
    const res = await this.post<ListJson>('/lists', { name });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async profiles(query = ''): Promise<ProfileJson[]> {
    const res = await this.get<{ profiles: ProfileJson[] }>(`/profiles${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body.profiles;
  }

  async profileIds(query = ''): Promise<string[]> {
    return (await this.profiles(query)).map((profile) => profile.id);
  }
}

/** A fresh business (country NL) and a client of it. */
export async function tenant(t: Pick<AudienceApp, 'app' | 'core'>, encoding: Encoding = 'json'): Promise<Api> {
  const { business, token } = await testBusiness(t.core);
  return new Api(t, token, encoding, business.id);
}

/** Asserts the Hellotext error envelope: one error of `type` about `parameter`, with `status`. */
export function assertError(res: Reply<unknown>, status: number, type: string, parameter?: string | null): void {
  assert.equal(res.status, status, res.text);
  const body = res.body as ErrorJson;
  assert.ok(Array.isArray(body?.errors) && body.errors.length >= 1, res.text);
  const [error] = body.errors;
  assert.ok(error);
  assert.deepEqual(sortedKeys(error), ['message', 'parameter', 'type'], res.text);
  assert.equal(error.type, type, res.text);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  if (parameter !== undefined) assert.equal(error.parameter, parameter, res.text);
}

/** The property of a profile with this kind (and name, when given). */
export function propertyOf(profile: ProfileJson, kind: string, name?: string | null): ProfilePropertyJson | undefined {
  return profile.properties.find((property) => property.kind === kind && (name === undefined || property.name === name));
}

/** Values of a profile's properties of one kind, in display order. */
export const valuesOf = (profile: ProfileJson, kind: string): unknown[] => profile.properties.filter((p) => p.kind === kind).map((p) => p.value);

/** A profile with its ids removed, to compare what two tenants received. */
export function withoutIds(profile: ProfileJson): unknown {
  return {
    ...profile,
    id: '-',
    created_at: 0,
    last_activity_at: 0,
    lists: profile.lists.map((list) => ({ ...list, id: '-', created_at: 0 })),
    properties: profile.properties.map((property) => ({ ...property, id: '-' })),
  };
}
