/** Test helpers for the provider tests: dependencies that reach loopback peers, and time bounds. */

import { pino } from 'pino';
import type { TestContext } from 'node:test';
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:net';
import { createAddressPolicy } from '../net/address-policy.js';
import { createOutboundClient } from '../net/outbound-client.js';
import { isRecord } from './json.js';
import type { InboundMessage, ProviderDeps, ProviderEvents, Receipt } from './provider.js';

/** What the engine would be given, with ALLOW_PRIVATE_URLS semantics so loopback fakes are reachable. */
export function testDeps(t: TestContext, overrides: Partial<ProviderDeps> = {}): ProviderDeps {
  const outbound = createOutboundClient({ allowPrivateUrls: true, timeoutMs: 5_000 });
  t.after(() => outbound.close());
  return {
    logger: pino({ level: 'silent' }),
    outbound,
    addressPolicy: createAddressPolicy({ allowPrivateUrls: true }),
    clock: { now: () => Date.now() },
    ...overrides,
  };
}

/** Events that record what arrives; `fail` makes the engine's storing fail. */
export function recordingEvents(): ProviderEvents & { receipts: Receipt[]; messages: InboundMessage[]; fail: boolean } {
  const recorder = {
    receipts: [] as Receipt[],
    messages: [] as InboundMessage[],
    fail: false,
    async receipt(receipt: Receipt) {
      if (recorder.fail) throw new Error('store failed');
      recorder.receipts.push(receipt);
    },
    async inbound(message: InboundMessage) {
      if (recorder.fail) throw new Error('store failed');
      recorder.messages.push(message);
    },
  };
  return recorder;
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs` so no test waits forever. */
export async function eventually(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Listens on a free loopback port and returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type FakeHandler = (request: SeenRequest, response: ServerResponse) => void;

/** A small HTTP fake of a provider API on loopback; `handler` can be swapped between sends. */
export async function startFakeApi(t: TestContext, handler: FakeHandler): Promise<{ origin: string; seen: SeenRequest[]; handler: FakeHandler }> {
  const fake = { origin: '', seen: [] as SeenRequest[], handler };
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      fake.seen.push(seen);
      fake.handler(seen, response);
    });
  });
  fake.origin = `http://127.0.0.1:${await listen(server)}`;
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return fake;
}

export interface FakeWhatsappTemplate {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  category: string;
  status: string;
  components: unknown[];
}

/**
 * A fake of the WhatsApp Cloud API's template endpoints (create, edit, list by name, delete,
 * resumable upload) beside its messages endpoint, on loopback. `status` is what a create
 * answers; `override` answers a request itself (errors, timeouts) when it returns true.
 */
export interface WhatsappCloudFake {
  readonly origin: string;
  readonly seen: SeenRequest[];
  readonly templates: FakeWhatsappTemplate[];
  /** The requests to one path kind: 'create', 'edit', 'list', 'delete', 'upload', 'messages'. */
  calls(kind: WhatsappFakeCall): SeenRequest[];
  status: string;
  override: (request: SeenRequest, response: ServerResponse) => boolean;
}

export type WhatsappFakeCall = 'create' | 'edit' | 'list' | 'delete' | 'upload' | 'messages';

/** Which endpoint a request is for. */
export function whatsappCallOf(request: Pick<SeenRequest, 'method' | 'url'>): WhatsappFakeCall | undefined {
  const path = new URL(request.url, 'http://fake').pathname.split('/').filter(Boolean).slice(1);
  const [first, second] = path;
  if (second === 'message_templates') return request.method === 'POST' ? 'create' : request.method === 'GET' ? 'list' : request.method === 'DELETE' ? 'delete' : undefined;
  if (second === 'messages') return 'messages';
  if (second === 'uploads' || first?.startsWith('upload:')) return 'upload';
  if (path.length === 1 && request.method === 'POST') return 'edit';
  return undefined;
}

export async function startWhatsappCloudFake(t: TestContext): Promise<WhatsappCloudFake> {
  const templates: FakeWhatsappTemplate[] = [];
  let nextId = 1000;
  const send = (response: ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const fake: WhatsappCloudFake = {
    origin: '',
    seen: [],
    templates,
    calls: (kind) => fake.seen.filter((request) => whatsappCallOf(request) === kind),
    status: 'PENDING',
    override: () => false,
  };
  const api = await startFakeApi(t, (request, response) => {
    if (fake.override(request, response)) return;
    const url = new URL(request.url, 'http://fake');
    const body: unknown = request.body ? JSON.parse(request.body.startsWith('{') ? request.body : '{}') : {};
    const field = (name: string): unknown => (isRecord(body) ? body[name] : undefined);
    switch (whatsappCallOf(request)) {
      case 'create': {
        const name = String(field('name'));
        const language = String(field('language'));
        if (templates.some((template) => template.name === name && template.language === language)) {
          send(response, 400, { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_subcode: 2388024, error_user_msg: 'Content in this language already exists' } });
          return;
        }
        const template = { id: String((nextId += 1)), name, language, category: String(field('category')), status: fake.status, components: [field('components')].flat() };
        templates.push(template);
        send(response, 200, { id: template.id, status: template.status, category: template.category });
        return;
      }
      case 'edit': {
        const template = templates.find((candidate) => url.pathname.endsWith(`/${candidate.id}`));
        if (!template) return send(response, 404, { error: { message: 'Unsupported post request', code: 100 } });
        template.components = [field('components')].flat();
        template.status = 'PENDING';
        send(response, 200, { success: true });
        return;
      }
      case 'list': {
        const name = url.searchParams.get('name') ?? '';
        send(response, 200, { data: templates.filter((template) => template.name.includes(name)).map(({ id, name: n, language, status, category }) => ({ id, name: n, language, status, category })) });
        return;
      }
      case 'delete': {
        const index = templates.findIndex((template) => template.name === url.searchParams.get('name') && template.id === (url.searchParams.get('hsm_id') ?? template.id));
        if (index < 0) return send(response, 400, { error: { message: 'Template not found', code: 100 } });
        templates.splice(index, 1);
        send(response, 200, { success: true });
        return;
      }
      case 'upload':
        send(response, 200, url.pathname.includes('upload:') ? { h: '4::aGFuZGxl' } : { id: 'upload:MTphdHRhY2htZW50' });
        return;
      case 'messages':
        send(response, 200, { messaging_product: 'whatsapp', messages: [{ id: `wamid.${fake.calls('messages').length}` }] });
        return;
      case undefined:
        send(response, 404, { error: { message: 'Unknown path', code: 803 } });
    }
  });
  Object.assign(fake, { origin: api.origin, seen: api.seen });
  return fake;
}
