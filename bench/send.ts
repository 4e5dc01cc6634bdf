/**
 * Sending: N email messages through the whole engine — accepted by the core's sendMessage
 * (rules, rendering, the message row and its job in one transaction), then sent by job
 * workers through the SMTP provider (slot claim, pooled nodemailer, outcome recorded) — into
 * an in-process SMTP sink, against a bare nodemailer loop sending the same mails to the same
 * sink with the same pool. Prints both send rates and their ratio (goal ≥ 0.8), and the
 * accept rate separately. Bounded: gives up after BENCH_LIMIT_SECONDS (default 600).
 *
 * Both contestants are warmed up first with the same number of mails (BENCH_WARMUP, default
 * a quarter of the messages, at most 1 000), unmeasured: nodemailer, smtp-server and the
 * stream code they share are compiled by V8 while they run, and whichever side ran first
 * used to pay for it (at 2 000 messages the engine, measured first, spent about as much CPU
 * warming the mail code as on its own work).
 *
 *   node --import tsx bench/send.ts [messages=20000] [workerConcurrency=32] [smtpConnections=5]
 *   BENCH_DATABASE_URL=postgres://… (a fresh, empty database) for PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config/config.js';
import type { CoreContext } from '../src/core/context.js';
import { createBusiness } from '../src/core/business/businesses.service.js';
import { createProfile } from '../src/core/audience/profiles.service.js';
import { createChannel } from '../src/core/messaging/channels.service.js';
import { sendMessage } from '../src/core/messaging/messages.send.js';
import { channelProviders } from '../src/core/messaging/messages.providers.js';
import { forBusiness } from '../src/core/shared/tenant.js';
import { systemClock } from '../src/core/shared/clock.js';
import { jobHandlers } from '../src/jobs/run-worker.js';
import { Worker } from '../src/jobs/worker.js';
import { createOutboundClient } from '../src/net/outbound-client.js';
import { createLogger } from '../src/observability/logger.js';
import { openStore } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrator.js';

const MESSAGES = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const CONNECTIONS = Number(process.argv[4] ?? 5);
const PROFILES = Math.min(1_000, MESSAGES);
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(1_000, Math.floor(MESSAGES / 4)));
const LIMIT_MS = Number(process.env.BENCH_LIMIT_SECONDS ?? 600) * 1000;
const started = Date.now();

function checkTime(what: string): void {
  if (Date.now() - started > LIMIT_MS) {
    console.error(`bench/send: gave up during ${what} after ${LIMIT_MS / 1000} s (BENCH_LIMIT_SECONDS)`);
    process.exit(2);
  }
}

/** The sink: takes every mail and counts distinct Message-IDs, as cheaply as SMTP allows. */
const seen = new Set<string>();
let taken = 0;
const sink = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      taken += 1;
      const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
      if (id) seen.add(id);
      callback();
    });
  },
});
sink.on('error', () => undefined);
const port = await new Promise<number>((resolve) => {
  sink.listen(0, '127.0.0.1', () => {
    const address = sink.server.address();
    resolve(address !== null && typeof address === 'object' ? address.port : 0);
  });
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellohub-send-'));
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ALLOW_PRIVATE_URLS: 'true', WORKER_CONCURRENCY: String(CONCURRENCY), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const store = openStore({ databaseUrl, dataDir, poolSize: Math.max(10, CONCURRENCY) });
await migrateToLatest(store.db, store.capabilities);
const outbound = createOutboundClient({ allowPrivateUrls: true, timeoutMs: 10_000 });
const ctx: CoreContext = { db: store.db, caps: store.capabilities, config, clock: systemClock, logger: createLogger('warn'), outbound };

const subject = 'Your weekly picks';
const text = 'Hello,\n\nHere are this week’s picks for you. Reply STOP to unsubscribe.\n';
const html = '<p>Hello,</p><p>Here are this week’s picks for you.</p>';

// Setup: a business, its SMTP channel at the highest rate, profiles with an address each.
const { business } = await createBusiness(ctx, { name: 'Bench', country: 'NL', currency: 'EUR' });
const tenant = forBusiness(ctx, business.id);
await createChannel(tenant, { technology: 'email', origin: 'Bench <news@bench.test>', provider: 'smtp', rate: 10_000, settings: { host: '127.0.0.1', port, from: 'bounces@bench.test', maxConnections: CONNECTIONS, timeoutMs: 30_000 } });
const profiles: number[] = [];
for (let i = 0; i < PROFILES; i += 1) {
  profiles.push((await createProfile(tenant, { contacts: [{ kind: 'email', target: { by: 'default' }, value: `customer${i}@example.test`, parameter: 'email' }], subscribe: true })).id);
}

async function accept(count: number): Promise<number> {
  const acceptStart = performance.now();
  for (let i = 0; i < count; i += 1) {
    await sendMessage(tenant, { profileId: profiles[i % PROFILES], technology: 'email', origin: 'news@bench.test', subject, body: text, html });
    if (i % 1000 === 0) checkTime('accepting');
  }
  return (performance.now() - acceptStart) / 1000;
}

/** CPU seconds this process's main thread has used so far (Linux /proc; NaN elsewhere). */
function mainThreadCpu(): number {
  const file = `/proc/${process.pid}/task/${process.pid}/stat`;
  if (!fs.existsSync(file)) return NaN;
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in ticks of 1/100 s
}

async function routedCount(): Promise<number> {
  const row = await store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('business_id', '=', business.id)
    .where('state', 'in', ['routed', 'failed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Sends through the engine: workers claim the queued jobs and send through the SMTP provider.
 * Done when every outcome is recorded. Progress is watched on the sink's count in memory; the
 * database is asked only for the last outcomes, since a count over all messages every few
 * milliseconds would queue on the one SQLite connection the engine is measured on.
 */
async function runEngine(mails: number, until: number): Promise<number> {
  const engineStart = performance.now();
  const worker = new Worker(ctx, jobHandlers(ctx), { concurrency: CONCURRENCY, pollMs: 20, leaseMs: 60_000, workerId: 'bench', backoff: { baseMs: 200, maxMs: 5_000 } });
  worker.start();
  while (taken < mails) {
    checkTime('sending through the engine');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  while ((await routedCount()) < until) {
    checkTime('recording the last outcomes');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const seconds = (performance.now() - engineStart) / 1000;
  await worker.stop(10_000);
  return seconds;
}

/** The same mails by a bare nodemailer loop: same pool size, same number in flight. */
const transport = createTransport({ pool: true, maxConnections: CONNECTIONS, host: '127.0.0.1', port, secure: false, logger: false });
async function runBare(count: number, prefix: string): Promise<number> {
  const bareStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({
          from: 'Bench <news@bench.test>',
          to: `customer${i % PROFILES}@example.test`,
          envelope: { from: 'bounces@bench.test', to: `customer${i % PROFILES}@example.test` },
          messageId: `<${prefix}-${i}@bench.test>`,
          subject,
          text,
          html,
        });
        if (i % 1000 === 0) checkTime('the bare loop');
      }
    }),
  );
  return (performance.now() - bareStart) / 1000;
}

// Warming up, unmeasured: the same number of mails each way.
if (WARMUP > 0) {
  await accept(WARMUP);
  await runEngine(WARMUP, WARMUP);
  await runBare(WARMUP, 'warm');
}

// Accepting: every message through sendMessage, as the API would.
const acceptSeconds = await accept(MESSAGES);

taken = 0;
seen.clear();
const engineCpuBefore = mainThreadCpu();
const engineSeconds = await runEngine(MESSAGES, WARMUP + MESSAGES);
const engineCpu = mainThreadCpu() - engineCpuBefore;
const failed = await store.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'failed').executeTakeFirstOrThrow();
const engineTaken = taken;
const engineDistinct = seen.size;
await channelProviders(ctx).close();

const bareCpuBefore = mainThreadCpu();
const bareSeconds = await runBare(MESSAGES, 'bare');
const bareCpu = mainThreadCpu() - bareCpuBefore;
transport.close();

const engineRate = MESSAGES / engineSeconds;
const bareRate = MESSAGES / bareSeconds;
console.log(
  JSON.stringify(
    {
      database: databaseUrl ? 'PostgreSQL' : 'SQLite',
      messages: MESSAGES,
      warmup: WARMUP,
      workerConcurrency: CONCURRENCY,
      smtpConnections: CONNECTIONS,
      acceptPerSecond: Math.round(MESSAGES / acceptSeconds),
      enginePerSecond: Math.round(engineRate),
      barePerSecond: Math.round(bareRate),
      ratio: Math.round((engineRate / bareRate) * 100) / 100,
      goal: 0.8,
      // Main-thread CPU per mail, sink included: where the time goes even on a busy machine.
      engineMainCpuMicrosPerMail: Math.round((engineCpu / MESSAGES) * 1e6),
      bareMainCpuMicrosPerMail: Math.round((bareCpu / MESSAGES) * 1e6),
      engineMailsTaken: engineTaken,
      engineDistinctMessageIds: engineDistinct,
      failed: Number(failed.n),
    },
    null,
    2,
  ),
);

await outbound.close();
await store.close();
await new Promise<void>((resolve) => sink.close(() => resolve()));
fs.rmSync(dataDir, { recursive: true, force: true });
