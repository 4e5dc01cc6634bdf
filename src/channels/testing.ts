/** Test helpers for the provider tests: dependencies that reach loopback peers, and time bounds. */

import { pino } from 'pino';
import type { TestContext } from 'node:test';
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:net';
import { createAddressPolicy } from '../net/address-policy.js';
import { createOutboundClient } from '../net/outbound-client.js';
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
