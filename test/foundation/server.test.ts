import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import { tempDir, testDatabaseUrl } from '../support/database.js';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('hellohub serve', () => {
  test('first start migrates, creates a business, prints its key once, is ready fast, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'info',
      ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
    };
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), 15_000);
      const readyMs = Date.now() - started;
      // The suite runs TypeScript through tsx; the compiled server starts faster (docs/performance.md).
      assert.ok(readyMs < 10_000, `ready after ${readyMs} ms`);

      // On PostgreSQL the database may already hold businesses from other tests: no banner then.
      const token = /Bearer (hh_[\w-]+)/.exec(output)?.[1];
      if (!testDatabaseUrl) assert.ok(token, output);
      if (token) {
        const business = await fetch(`http://127.0.0.1:${port}/v1/business`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(business.status, 200);
        assert.equal(output.split(token).length - 1, 2, 'the key is printed once (banner line and curl example)');
      }

      // A request in flight when SIGTERM arrives still gets its answer.
      const agent = new http.Agent({ keepAlive: true });
      const inFlight = new Promise<number>((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, path: '/healthz', agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end();
      });
      child.kill('SIGTERM');
      assert.equal(await inFlight, 200);
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, output);
      assert.match(output, /"msg":"stopped"/);
      agent.destroy();
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no longer accepting');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
