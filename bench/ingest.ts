/**
 * Ingestion: POST /v1/attribution/events through the compiled server (group commit, durable
 * before the answer) against a bare Fastify route that parses the same bodies and answers
 * without storing anything. The load comes from autocannon in a separate process.
 *
 * Both servers (and the issue's yardstick, a minimal durable insert) stay up, warm, and take
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
  /** CPU time the load generator itself used (it shares the machine's cores with the servers). */
  cpuSeconds: number;
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

/** CPU seconds (utime + stime, in clock ticks of 1/100 s) in a /proc stat file; NaN when it is gone. */
function cpuSeconds(statFile: string): number {
  try {
    const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * What a process has used so far (Linux /proc): CPU seconds by thread and in all, and bytes it
 * had written to the disk. Per thread, because the server's profile misleads on a machine this
 * small: the main thread loses its core whenever it wakes the store's thread or the load
 * generator, and a sampling profiler counts that wait as time in `postMessage` or `writev`.
 */
interface Usage {
  readonly main: number;
  readonly threads: ReadonlyMap<string, number>;
  readonly all: number;
  readonly written: number;
}

function usageOf(pid: number | undefined): Usage {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}`)) return { main: NaN, threads: new Map(), all: NaN, written: NaN };
  const threads = new Map(fs.readdirSync(`/proc/${pid}/task`).map((task) => [task, cpuSeconds(`/proc/${pid}/task/${task}/stat`)] as const));
  const written = /^write_bytes: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1];
  return { main: threads.get(String(pid)) ?? NaN, threads, all: cpuSeconds(`/proc/${pid}/stat`), written: Number(written ?? NaN) };
}

/** CPU seconds used so far by every PostgreSQL process on this machine (its backends do the statements' work). */
function postgresCpu(): number {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (stat.includes(' (postgres) ')) sum += cpuSeconds(`/proc/${pid}/stat`) || 0;
  }
  return sum;
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
 * The issue's yardstick "for scale": the bare route plus a durable insert with group commit
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

/** What a server used during a slice of load: CPU seconds and bytes written. */
interface SliceUsage {
  readonly main: number;
  /** The busiest thread besides the main one: in hellohub, the store's thread. */
  readonly store: number;
  readonly all: number;
  readonly written: number;
  readonly postgres: number;
}

/** A slice of load on `server`, with what its process (and PostgreSQL, when it is the store) used. */
function slice(server: Server, bodiesFile: string): { load: Load; usage: SliceUsage } {
  const before = usageOf(server.process.pid);
  const postgresBefore = database === 'PostgreSQL' ? postgresCpu() : 0;
  const run = load(server.url, token, seconds, bodiesFile);
  const after = usageOf(server.process.pid);
  const others = [...after.threads].filter(([task]) => task !== String(server.process.pid)).map(([task, used]) => used - (before.threads.get(task) ?? 0));
  return {
    load: run,
    usage: {
      main: after.main - before.main,
      store: Math.max(0, ...others),
      all: after.all - before.all,
      written: after.written - before.written,
      postgres: database === 'PostgreSQL' ? postgresCpu() - postgresBefore : 0,
    },
  };
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
  readonly bareUsage: SliceUsage;
  readonly hellohubUsage: SliceUsage;
}

let result: { rounds: Round[]; stored: number };
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
  for (let round = 0; round < rounds; round++) {
    const bareSlice = slice(bareServer, bodiesFile);
    const hellohubSlice = slice(hellohubServer, bodiesFile);
    const minimalSlice = slice(minimalServer, bodiesFile);
    measuredRounds.push({ bare: bareSlice.load, hellohub: hellohubSlice.load, minimal: minimalSlice.load, bareUsage: bareSlice.usage, hellohubUsage: hellohubSlice.usage });
  }
  result = { rounds: measuredRounds, stored: (await countEvents()) - before };
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

const { rounds: measured, stored } = result;
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

// CPU time per request tells where the time goes even while the VM's speed drifts; set beside
// the CPU the goal's rate leaves per request, it says how far the machine is from the goal.
const sum = (value: (round: Round) => number) => measured.reduce((acc, round) => acc + value(round), 0);
const hellohubRequests = sum((round) => round.hellohub.total);
const bareRequests = sum((round) => round.bare.total);
const perHellohubRequest = (value: (usage: SliceUsage) => number) => ((sum((round) => value(round.hellohubUsage)) / hellohubRequests) * 1e6).toFixed(0);
const loadCpu = ((sum((round) => round.hellohub.cpuSeconds) / hellohubRequests) * 1e6).toFixed(0);
const bareLoadCpu = (sum((round) => round.bare.cpuSeconds) / bareRequests) * 1e6;
console.log(
  `CPU per request, µs: hellohub ${perHellohubRequest((usage) => usage.main)} on its main thread, ${perHellohubRequest((usage) => usage.store)} on its store thread, ${perHellohubRequest((usage) => usage.all)} in all its threads` +
    `${database === 'PostgreSQL' ? `, PostgreSQL processes ${perHellohubRequest((usage) => usage.postgres)}` : ''}; bare route ${((sum((round) => round.bareUsage.all) / bareRequests) * 1e6).toFixed(0)}; load generator ${loadCpu} (${bareLoadCpu.toFixed(0)} at the bare route)`,
);
const goalRate = 0.5 * median(measured.map((round) => round.bare.rps));
console.log(
  `at the goal (${goalRate.toFixed(0)} req/s) ${os.cpus().length} cores give ${((os.cpus().length * 1e6) / goalRate).toFixed(0)} µs of CPU per request, the load generator's share included`,
);
if (database === 'SQLite') console.log(`written to disk by hellohub: ${(sum((round) => round.hellohubUsage.written) / hellohubRequests).toFixed(0)} bytes per request`);
const total = (count: (run: Load) => number) => measured.reduce((acc, round) => acc + count(round.hellohub), 0);
const acknowledged = total((run) => run.ok);
const failed = total((run) => run.non2xx + run.errors);
console.log(`acknowledged ${acknowledged}, stored ${stored}, failed requests ${failed}, timeouts ${total((run) => run.timeouts)}`);
if (stored < acknowledged || failed > 0) {
  console.error('FAILED: an acknowledged event is missing, or requests failed');
  process.exitCode = 1;
}
