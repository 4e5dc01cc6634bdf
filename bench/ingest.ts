/**
 * Ingestion: POST /v1/attribution/events through the compiled server (group commit, durable
 * before the answer) against a bare Fastify route that parses the same bodies and answers
 * without storing anything. The load comes from autocannon in a separate process.
 *
 * Both servers (and the yardstick, a minimal durable insert) stay up, warm, and take
 * the load in turn, a short slice each, round after round: this VM's speed drifts by tens of
 * percent within minutes, and a ratio of two runs minutes apart measured the drift as much as
 * the servers. Each round gives its own ratio; the bench prints every round and their median,
 * and checks that every acknowledged event was stored.
 *
 *   npm run build && node --import tsx bench/ingest.ts [connections=64] [seconds a slice=5] [rounds=5]
 *   BENCH_DATABASE_URL=postgres://… (a fresh, empty database) for PostgreSQL.
 *   BENCH_PROFILE_DIR=DIR writes a CPU profile of the server there (open it in Chrome DevTools).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const connections = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 5);
const WARMUP_SECONDS = 3;
const PROFILES = 500;
const SESSIONS = 2_000;

interface Load {
  rps: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string): Promise<void> {
  const started = Date.now();
  while (!(await fetch(url).then((r) => r.status === 200, () => false))) {
    if (Date.now() - started > 60_000) throw new Error(`${url} not ready after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** CPU seconds a process has used so far: its main thread, and all its threads (Linux /proc). */
function cpuOf(pid: number | undefined): { main: number; all: number } {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) return { main: NaN, all: NaN };
  const ticks = (file: string) => {
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`) };
}

function load(url: string, token: string, duration: number, bodiesFile: string): Load {
  const out = execFileSync(process.execPath, ['bench/ingest-load.mjs', url, token, String(connections), String(duration), bodiesFile], { encoding: 'utf8' });
  return JSON.parse(out) as Load;
}

const bare = `
  const app = require('fastify')({ bodyLimit: 1048576 });
  app.post('/v1/attribution/events', async (request, reply) => {
    if (typeof request.body !== 'object' || request.body === null) return reply.code(400).send({ errors: [] });
    return reply.code(201).send({ status: 'received', state: 'ok' });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

/**
 * The yardstick "for scale": the bare route plus a durable insert with group commit
 * (better-sqlite3 on the event loop, WAL, synchronous=FULL, one table with one index; on
 * PostgreSQL below, the same table through node-postgres).
 */
const minimalInsert = `
  const db = new (require('better-sqlite3'))(process.env.DB_FILE);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table events (id integer primary key, business_id integer, body text, created_at integer)');
  db.exec('create index events_business on events (business_id, id)');
  const insert = db.prepare('insert into events (business_id, body, created_at) values (1, ?, ?)');
  let queue = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    db.transaction(() => { for (const item of batch) insert.run(JSON.stringify(item.body), Date.now()); })();
    for (const item of batch) item.resolve();
  };
  const app = require('fastify')({ bodyLimit: 1048576 });
  app.post('/v1/attribution/events', async (request, reply) => {
    if (typeof request.body !== 'object' || request.body === null) return reply.code(400).send({ errors: [] });
    await new Promise((resolve) => { if (queue.push({ body: request.body, resolve }) === 1) setImmediate(flush); });
    return reply.code(201).send({ status: 'received', state: 'ok' });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

/** The yardstick on PostgreSQL: one batch at a time, one statement per batch, default durability. */
const minimalPostgresInsert = `
  const pool = new (require('pg').Pool)({ connectionString: process.env.DB_URL, max: 1 });
  let queue = [];
  let running = false;
  const flush = async () => {
    if (running || queue.length === 0) return;
    running = true;
    const batch = queue.splice(0, 256);
    try {
      await pool.query('insert into yardstick_events (business_id, body, created_at) select 1, body, $2 from unnest($1::text[]) as body', [batch.map((item) => JSON.stringify(item.body)), Date.now()]);
      for (const item of batch) item.resolve();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
    running = false;
    void flush();
  };
  const app = require('fastify')({ bodyLimit: 1048576 });
  app.post('/v1/attribution/events', async (request, reply) => {
    if (typeof request.body !== 'object' || request.body === null) return reply.code(400).send({ errors: [] });
    await new Promise((resolve, reject) => { queue.push({ body: request.body, resolve, reject }); setImmediate(flush); });
    return reply.code(201).send({ status: 'received', state: 'ok' });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  (async () => {
    await pool.query('drop table if exists yardstick_events');
    await pool.query('create table yardstick_events (id bigserial primary key, business_id bigint, body text, created_at bigint)');
    await pool.query('create index yardstick_events_business on yardstick_events (business_id, id)');
    await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  })();
`;

interface Server {
  readonly url: string;
  readonly process: ChildProcess;
}

/** A reference server, up and warm. */
async function startReference(script: string, extraEnv: NodeJS.ProcessEnv, bodiesFile: string): Promise<Server> {
  const referencePort = await freePort();
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...extraEnv, PORT: String(referencePort) }, stdio: 'ignore' });
  await waitReady(`http://127.0.0.1:${referencePort}/healthz`);
  const url = `http://127.0.0.1:${referencePort}/v1/attribution/events`;
  load(url, token, WARMUP_SECONDS, bodiesFile);
  return { url, process: child };
}

/** A slice of load on `server`, with the CPU time its process used per request. */
function slice(server: Server, bodiesFile: string): { load: Load; cpu: { main: number; all: number } } {
  const before = cpuOf(server.process.pid);
  const run = load(server.url, token, seconds, bodiesFile);
  const after = cpuOf(server.process.pid);
  return { load: run, cpu: { main: after.main - before.main, all: after.all - before.all } };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellohub-ingest-'));
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '0' };
if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
else delete env.DATABASE_URL;
const database = env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';

const created = JSON.parse(execFileSync(process.execPath, ['dist/cli/main.js', 'business', 'create', '--name', 'Bench', '--json'], { env, encoding: 'utf8' })) as { token: string };
const token = created.token;

const port = await freePort();
const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
const server = spawn(process.execPath, [...profile, 'dist/cli/main.js', 'serve'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
const api = async (method: string, url: string, body?: unknown) => {
  const request = () => fetch(`${base}/v1${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  // A kept-alive connection idle through the rounds may have been closed by the server meanwhile.
  const res = await request().catch(request);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

interface Round {
  readonly bare: Load;
  readonly hellohub: Load;
  readonly minimal: Load;
}

let result: { rounds: Round[]; stored: number; cpu: { main: number; all: number; bare: number } };
const references: Server[] = [];
try {
  await waitReady(`${base}/healthz`);
  await api('POST', '/attribution/actions', { name: 'page.viewed', title: 'Page viewed' });
  const profiles: string[] = [];
  for (let i = 0; i < PROFILES; i++) profiles.push(String((await api('POST', '/profiles', { first_name: `Bench ${i}`, email: `bench${i}@example.com` })).id));

  // A browser-like mix: anonymous sessions, sessions of known profiles, server-side profile events.
  const bodies = Array.from({ length: 10_000 }, (_, i) => {
    const session = `bench-session-${String(i % SESSIONS).padStart(8, '0')}`;
    const profile = profiles[i % PROFILES] as string;
    const common = { action: 'page.viewed', url: `https://shop.example/p/${i % 977}`, metadata: { referrer: 'newsletter', position: String(i % 12) } };
    if (i % 3 === 0) return JSON.stringify({ ...common, profile });
    if (i % 3 === 1) return JSON.stringify({ ...common, session });
    return JSON.stringify({ ...common, session: `bench-known-${String(i % PROFILES).padStart(8, '0')}`, profile, amount: '12.50', currency: 'EUR' });
  });
  const bodiesFile = path.join(dataDir, 'bodies.json');
  fs.writeFileSync(bodiesFile, JSON.stringify(bodies));

  const bareServer = await startReference(bare, {}, bodiesFile);
  references.push(bareServer);
  const minimalServer = env.DATABASE_URL
    ? await startReference(minimalPostgresInsert, { DB_URL: env.DATABASE_URL }, bodiesFile)
    : await startReference(minimalInsert, { DB_FILE: path.join(dataDir, 'minimal.sqlite') }, bodiesFile);
  references.push(minimalServer);
  const hellohubServer: Server = { url: `${base}/v1/attribution/events`, process: server };
  load(hellohubServer.url, token, WARMUP_SECONDS, bodiesFile);

  const before = await countEvents();
  const measuredRounds: Round[] = [];
  const cpu = { main: 0, all: 0, bare: 0, hellohubRequests: 0, bareRequests: 0 };
  for (let round = 0; round < rounds; round++) {
    const bareSlice = slice(bareServer, bodiesFile);
    const hellohubSlice = slice(hellohubServer, bodiesFile);
    const minimalSlice = slice(minimalServer, bodiesFile);
    measuredRounds.push({ bare: bareSlice.load, hellohub: hellohubSlice.load, minimal: minimalSlice.load });
    cpu.main += hellohubSlice.cpu.main;
    cpu.all += hellohubSlice.cpu.all;
    cpu.hellohubRequests += hellohubSlice.load.total;
    cpu.bare += bareSlice.cpu.all;
    cpu.bareRequests += bareSlice.load.total;
  }
  const stored = (await countEvents()) - before;
  result = {
    rounds: measuredRounds,
    stored,
    cpu: { main: (cpu.main / cpu.hellohubRequests) * 1e6, all: (cpu.all / cpu.hellohubRequests) * 1e6, bare: (cpu.bare / cpu.bareRequests) * 1e6 },
  };
} finally {
  if (server.exitCode === null) await stop(server);
  for (const reference of references) await stop(reference.process);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Events stored so far, counted by paging the API (the server is the only reader of its database). */
async function countEvents(): Promise<number> {
  let count = 0;
  let cursor = '';
  for (;;) {
    const page = (await api('GET', `/attribution/events?limit=100${cursor}`)).events as Array<{ id: string }>;
    count += page.length;
    if (page.length < 100) return count;
    cursor = `&starting_after=${page.at(-1)?.id}`;
  }
}

const { rounds: measured, stored, cpu } = result;
const ratios = measured.map((round) => round.hellohub.rps / round.bare.rps);
const p99s = measured.map((round) => round.hellohub.p99);
console.log(`ingest on ${database}, ${connections} connections, ${rounds} rounds of ${seconds} s per server (each warmed ${WARMUP_SECONDS} s first), ${os.cpus().length} cores`);
console.log('round   bare req/s  p99 │ hellohub req/s  p50  p99  ratio │ minimal insert req/s  ratio');
measured.forEach((round, index) => {
  const { bare: b, hellohub: h, minimal: m } = round;
  console.log(
    `${String(index + 1).padStart(5)} ${b.rps.toFixed(0).padStart(12)} ${String(b.p99).padStart(4)} │ ${h.rps.toFixed(0).padStart(14)} ${String(h.p50).padStart(4)} ${String(h.p99).padStart(4)} ${(h.rps / b.rps).toFixed(2).padStart(6)} │ ${m.rps.toFixed(0).padStart(20)} ${(m.rps / b.rps).toFixed(2).padStart(6)}`,
  );
});
console.log(`POST /v1/attribution/events, median of the rounds: ratio ${median(ratios).toFixed(2)} (goal ≥ 0.50), p99 ${median(p99s)} ms (goal < 25 ms; worst round ${Math.max(...p99s)} ms)`);
console.log(`for scale, a minimal durable insert with group commit: ${median(measured.map((round) => round.minimal.rps / round.bare.rps)).toFixed(2)} of the bare route (median)`);
// CPU time per request tells where the time goes even on a machine busy with other work.
console.log(`server CPU per request: ${cpu.main.toFixed(0)} µs on the main thread, ${cpu.all.toFixed(0)} µs in all threads; bare route ${cpu.bare.toFixed(0)} µs`);
const total = (count: (run: Load) => number) => measured.reduce((sum, round) => sum + count(round.hellohub), 0);
const acknowledged = total((run) => run.ok);
const failed = total((run) => run.non2xx + run.errors);
console.log(`acknowledged ${acknowledged}, stored ${stored}, failed requests ${failed}, timeouts ${total((run) => run.timeouts)}`);
if (stored < acknowledged || failed > 0) {
  console.error('FAILED: an acknowledged event is missing, or requests failed');
  process.exitCode = 1;
}
