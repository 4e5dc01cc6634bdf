import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createOutboundClient, isRetryable, OutboundError, type OutboundClientOptions, type OutboundErrorReason, type OutboundRequest, type Resolve } from './outbound-client.js';

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly seen: SeenRequest[];
}

type Handler = (request: IncomingMessage, response: ServerResponse, server: TestServer) => void;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

async function startServer(t: TestContext, handler: Handler = (_request, response) => response.end('hello')): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      handler(request, response, testServer);
    });
  });
  const port = await listen(server);
  const testServer: TestServer = { origin: `http://127.0.0.1:${port}`, port, seen };
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return testServer;
}

function client(t: TestContext, options: Partial<OutboundClientOptions> = {}) {
  const outbound = createOutboundClient({ allowPrivateUrls: false, timeoutMs: 5_000, ...options });
  t.after(() => outbound.close());
  return outbound;
}

/** A resolver over a fixed table that records what it was asked. */
function fakeDns(table: Readonly<Record<string, readonly string[]>>): Resolve & { readonly asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

async function assertRefused(promise: Promise<unknown>, reason: OutboundErrorReason, label = ''): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OutboundError, `${label}: ${String(error)}`);
    assert.equal(error.reason, reason, `${label}: ${error.message}`);
    return true;
  });
}

function redirect(response: ServerResponse, status: number, location: string): void {
  response.writeHead(status, { location }).end();
}

test('refuses loopback, private, link-local and metadata hosts by default, before any connection or lookup', async (t) => {
  const server = await startServer(t);
  const dns = fakeDns({});
  const outbound = client(t, { resolve: dns });
  const urls = [
    `http://127.0.0.1:${server.port}/`,
    `http://localhost:${server.port}/`,
    `http://[::1]:${server.port}/`,
    `http://0.0.0.0:${server.port}/`,
    `http://10.1.2.3:${server.port}/`,
    `http://192.168.0.10:${server.port}/`,
    `http://100.64.0.1:${server.port}/`,
    'http://169.254.169.254/latest/meta-data/',
    `http://2130706433:${server.port}/`,
    `http://0x7f.1:${server.port}/`,
    `http://0177.0.0.1:${server.port}/`,
    `http://[::ffff:127.0.0.1]:${server.port}/`,
    'https://[fd00:ec2::254]/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata.google.internal./computeMetadata/v1/',
  ];
  for (const url of urls) await assertRefused(outbound.fetch(url), 'blocked_address', url);
  assert.equal(server.seen.length, 0);
  assert.deepEqual(dns.asked, []);
});

test('allowPrivateUrls reaches local servers, literal shorthands included', async (t) => {
  const server = await startServer(t);
  const outbound = client(t, { allowPrivateUrls: true });
  for (const url of [`${server.origin}/a?b=1`, `http://localhost:${server.port}/a?b=1`, `http://2130706433:${server.port}/a?b=1`]) {
    const response = await outbound.fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'hello');
    assert.equal(response.url, new URL(url).href);
  }
  assert.deepEqual(server.seen.map((request) => request.url), ['/a?b=1', '/a?b=1', '/a?b=1']);
});

test('refuses a public-looking name whose DNS answer is private, even mixed with public ones', async (t) => {
  const server = await startServer(t);
  const dns = fakeDns({ 'images.example.com': ['127.0.0.1'], 'rebind.example.com': ['93.184.216.34', '127.0.0.1'] });
  const outbound = client(t, { resolve: dns });
  await assertRefused(outbound.fetch(`http://images.example.com:${server.port}/logo.png`), 'blocked_address');
  await assertRefused(outbound.fetch(`http://rebind.example.com:${server.port}/logo.png`), 'blocked_address');
  assert.equal(server.seen.length, 0);
  assert.deepEqual(dns.asked, ['images.example.com', 'rebind.example.com']);
});

test('connects to the address the resolver returned once it is allowed', async (t) => {
  const server = await startServer(t);
  const outbound = client(t, { resolve: fakeDns({ 'hooks.example.com': ['127.0.0.1'] }), allowedAddresses: ['127.0.0.1'] });
  const response = await outbound.fetch(`http://hooks.example.com:${server.port}/x`);
  assert.equal(response.body.toString(), 'hello');
  assert.equal(server.seen[0]?.headers.host, `hooks.example.com:${server.port}`);
});

test('checks every redirect target against the policy', async (t) => {
  const targets = ['http://169.254.169.254/latest/meta-data/', 'http://internal.example.com/admin', 'http://[::ffff:a00:1]/', 'http://localhost/'];
  const server = await startServer(t, (request, response) => redirect(response, 302, targets[Number(request.url?.slice(1))] ?? '/'));
  const dns = fakeDns({ 'allowed.example.com': ['127.0.0.1'], 'internal.example.com': ['10.0.0.7'] });
  const outbound = client(t, { resolve: dns, allowedAddresses: ['127.0.0.1'] });
  for (const [index, target] of targets.entries()) {
    await assertRefused(outbound.fetch(`http://allowed.example.com:${server.port}/${index}`), 'blocked_address', target);
  }
  assert.equal(server.seen.length, targets.length);
  assert.ok(dns.asked.includes('internal.example.com'));
});

test('refuses schemes other than http and https, for the request and for a redirect', async (t) => {
  const server = await startServer(t, (_request, response) => redirect(response, 301, 'file:///etc/passwd'));
  const outbound = client(t, { allowPrivateUrls: true });
  for (const url of ['file:///etc/passwd', 'ftp://example.com/a', 'gopher://127.0.0.1:25/', 'javascript:alert(1)', 'data:text/plain,hi', 'not a url', '/relative']) {
    await assertRefused(outbound.fetch(url), 'invalid_url', url);
  }
  await assertRefused(outbound.fetch(server.origin), 'invalid_url');
  await assertRefused(outbound.fetch(`http://user:secret@127.0.0.1:${server.port}/`), 'invalid_url');
  assert.equal(server.seen.length, 1);
});

test('times out waiting for the answer, and while the body trickles', async (t) => {
  const server = await startServer(t, (request, response) => {
    if (request.url === '/trickle') response.writeHead(200).write('part');
  });
  const outbound = client(t, { allowPrivateUrls: true, timeoutMs: 150 });
  for (const path of ['/silent', '/trickle']) {
    const started = Date.now();
    await assertRefused(outbound.fetch(server.origin + path), 'timeout', path);
    assert.ok(Date.now() - started < 2_000);
  }
  const started = Date.now();
  await assertRefused(outbound.fetch(`${server.origin}/silent`, { timeoutMs: 50 }), 'timeout');
  assert.ok(Date.now() - started < 1_000);
});

/** Streams until the client hangs up, to show the download is cut off rather than drained. */
function endless(response: ServerResponse): void {
  const write = () => {
    if (!response.destroyed) response.write(Buffer.alloc(64 * 1024), () => setImmediate(write));
  };
  write();
}

test('aborts a body larger than maxBytes, declared or streamed', async (t) => {
  const server = await startServer(t, (request, response) => {
    if (request.url === '/declared' && request.method === 'HEAD') return response.writeHead(200, { 'content-length': 2_000 }).end();
    if (request.url === '/declared') return response.end(Buffer.alloc(2_000));
    if (request.url === '/endless') return endless(response);
    response.write(Buffer.alloc(600));
    response.end(Buffer.alloc(request.url === '/streamed' ? 600 : 400));
  });
  const outbound = client(t, { allowPrivateUrls: true });
  await assertRefused(outbound.fetch(`${server.origin}/declared`, { maxBytes: 1_000 }), 'too_large');
  await assertRefused(outbound.fetch(`${server.origin}/streamed`, { maxBytes: 1_000 }), 'too_large');
  await assertRefused(outbound.fetch(`${server.origin}/endless`, { maxBytes: 1_000_000 }), 'too_large');
  const head = await outbound.fetch(`${server.origin}/declared`, { method: 'HEAD', maxBytes: 1_000 });
  assert.equal(head.headers['content-length'], '2000');
  const exact = await outbound.fetch(`${server.origin}/exact`, { maxBytes: 1_000 });
  assert.equal(exact.body.length, 1_000);
});

test('follows five redirects and refuses the sixth', async (t) => {
  const server = await startServer(t, (request, response) => {
    const hop = Number(request.url?.split('/')[2]);
    if (request.url?.startsWith('/until-5/') && hop === 5) return response.end('arrived');
    redirect(response, 302, request.url?.replace(/\d+$/, String(hop + 1)) ?? '/');
  });
  const outbound = client(t, { allowPrivateUrls: true });
  const arrived = await outbound.fetch(`${server.origin}/until-5/0`);
  assert.equal(arrived.body.toString(), 'arrived');
  assert.equal(arrived.url, `${server.origin}/until-5/5`);
  server.seen.length = 0;
  await assertRefused(outbound.fetch(`${server.origin}/forever/0`), 'too_many_redirects');
  assert.equal(server.seen.length, 6);
});

test('a 303 turns a POST into a GET, a 307 repeats it, and credentials stay with their origin', async (t) => {
  const other = await startServer(t);
  const server = await startServer(t, (request, response) => {
    if (request.url === '/see-other') return redirect(response, 303, '/landing');
    if (request.url === '/temporary') return redirect(response, 307, '/landing');
    if (request.url === '/elsewhere') return redirect(response, 302, `${other.origin}/landing`);
    response.end('ok');
  });
  const outbound = client(t, { allowPrivateUrls: true, userAgent: 'hellohub-test' });
  const post: OutboundRequest = { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' } };
  await outbound.fetch(`${server.origin}/see-other`, post);
  await outbound.fetch(`${server.origin}/temporary`, post);
  await outbound.fetch(`${server.origin}/elsewhere`, { headers: { Authorization: 'Bearer k' } });
  const landings = server.seen.filter((request) => request.url === '/landing');
  assert.deepEqual(
    landings.map(({ method, body, headers }) => [method, body, headers['content-type'], headers.authorization, headers['user-agent']]),
    [
      ['GET', '', undefined, 'Bearer k', 'hellohub-test'],
      ['POST', '{"a":1}', 'application/json', 'Bearer k', 'hellohub-test'],
    ],
  );
  assert.equal(other.seen[0]?.headers.authorization, undefined);
});

test('HTTP errors are results; connection failures are retryable network errors', async (t) => {
  const server = await startServer(t, (_request, response) => response.writeHead(503, { 'retry-after': '5' }).end('busy'));
  const outbound = client(t, { allowPrivateUrls: true });
  const response = await outbound.fetch(server.origin);
  assert.equal(response.status, 503);
  assert.equal(response.headers['retry-after'], '5');
  const closed = createServer();
  const port = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  const error = await outbound.fetch(`http://127.0.0.1:${port}/`).catch((caught: unknown) => caught);
  assert.ok(error instanceof OutboundError && error.reason === 'network');
  assert.equal(isRetryable(error), true);
});

test('a malformed request is the caller\'s bug, not an outbound failure', async (t) => {
  const server = await startServer(t);
  const outbound = client(t, { allowPrivateUrls: true });
  const error = await outbound.fetch(server.origin, { headers: { 'x-note': 'a\r\nInjected: yes' } }).catch((caught: unknown) => caught);
  assert.ok(error instanceof Error && !(error instanceof OutboundError), String(error));
  assert.equal(server.seen.length, 0);
});

test('isRetryable: only timeouts and network failures are worth retrying', () => {
  const cases: readonly [OutboundErrorReason, boolean][] = [
    ['timeout', true],
    ['network', true],
    ['blocked_address', false],
    ['invalid_url', false],
    ['too_large', false],
    ['too_many_redirects', false],
  ];
  for (const [reason, retryable] of cases) assert.equal(isRetryable(new OutboundError(reason, reason)), retryable, reason);
  assert.equal(isRetryable(new TypeError('bug')), false);
});
