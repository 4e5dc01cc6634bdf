/**
 * Start-to-ready of `hellohub serve` on SQLite (compiled build), first start on an empty
 * database and restart, beside a bare Fastify server answering one route: prints p50 of each
 * and the ratio. Run: npm run build && node --import tsx bench/startup.ts [runs]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 5);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawn until `url` answers 200. */
async function timeToReady(args: string[], env: NodeJS.ProcessEnv, url: (port: number) => string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await fetch(url(port)).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error('not ready after 30 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const bare = `
  const app = require('fastify')();
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const first: number[] = [];
const restart: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellohub-bench-'));
  const env = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  first.push(await timeToReady(['dist/cli/main.js', 'serve'], env, (port) => `http://127.0.0.1:${port}/healthz`));
  restart.push(await timeToReady(['dist/cli/main.js', 'serve'], env, (port) => `http://127.0.0.1:${port}/healthz`));
  baseline.push(await timeToReady(['-e', bare], process.env, (port) => `http://127.0.0.1:${port}/healthz`));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const row = (name: string, values: number[]) =>
  console.log(`${name.padEnd(28)} p50 ${p50(values).toFixed(0).padStart(5)} ms   x${(p50(values) / p50(baseline)).toFixed(2)} of bare Fastify`);
console.log(`start-to-ready on SQLite, ${runs} runs`);
row('bare Fastify (baseline)', baseline);
row('hellohub first start', first);
row('hellohub restart', restart);
