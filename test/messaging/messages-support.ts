/**
 * Shared helpers of the message engine suites (channels, messages, hooks, dev-inbox): the real
 * app with a clock the test moves, workers that run the real job handlers, and the wire types.
 * The tenant-bound client and the error assertion are the audience suites'.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { PublicIds } from '../../src/core/shared/public-ids.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import { publicIdAlphabet } from '../../src/core/business/installation.service.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { channelProviders } from '../../src/core/messaging/messages.providers.js';
import { jobHandlers } from '../../src/jobs/run-worker.js';
import type { JobHandlers } from '../../src/jobs/job-handler.js';
import { Worker, type WorkerOptions } from '../../src/jobs/worker.js';
import { Metrics } from '../../src/observability/metrics.js';
import { testCore, type TestCore } from '../support/context.js';
import { ManualClock as TestClock, type Api } from '../audience/audience-client.js';

export { assertError, ENCODINGS, sortedKeys, tenant, type Api, type Encoding } from '../audience/audience-client.js';

export interface ChannelJson {
  id: string;
  type: 'channel';
  technology: string;
  origin: string;
  provider: string;
  settings: Record<string, unknown>;
  rate: number;
  active: boolean;
  webhook_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplateButtonJson {
  type: string;
  text: string;
  url?: string;
  phone?: string;
  copy?: string;
}

/** A template as `/v1/templates` answers it. */
export interface TemplateJson {
  id: string;
  type: 'template';
  body: string;
  buttons: TemplateButtonJson[];
  created_at: number;
  footer: string | null;
  header: Record<string, unknown> | null;
  name: string;
  state: string;
  technology: string;
}

export interface MessageJson {
  id: string;
  type: 'message';
  attachments: string[];
  body: string;
  created_at: number;
  delivered_at: number | null;
  destination: string;
  failed_at: number | null;
  origin: string;
  profile: string | null;
  received_at: number | null;
  routed_at: number | null;
  state: 'pending' | 'routed' | 'delivered' | 'failed' | 'received';
  technology: string;
  template: string | null;
  direction?: 'outbound' | 'inbound';
  channel?: string | null;
  failure_reason?: string | null;
  transactional?: boolean;
  subject?: string | null;
  html?: string | null;
}

export interface DevInboxEntryJson {
  id: string;
  type: 'dev_inbox_entry';
  message: MessageJson;
  sent: {
    from: string;
    to: string;
    body: string;
    subject: string | null;
    html: string | null;
    headers: Array<{ name: string; value: string }>;
    attachments: Array<{ url: string; content_type: string; filename?: string }>;
    template: { name: string; language: string; components: unknown[] } | null;
    sent_at: number;
  } | null;
}

/** The documented keys of the Message object. */
export const MESSAGE_KEYS = ['id', 'type', 'attachments', 'body', 'created_at', 'delivered_at', 'destination', 'failed_at', 'origin', 'profile', 'received_at', 'routed_at', 'state', 'technology', 'template'];
export const MESSAGE_EXTENSION_KEYS = ['direction', 'channel', 'failure_reason', 'transactional', 'subject', 'html'];

/** Epoch milliseconds that move only when a test says so. */
export { TestClock };

export interface MessagingApp {
  readonly app: FastifyInstance;
  readonly core: TestCore;
  readonly ids: PublicIds;
  readonly clock: Clock;
  /** Starts a worker with the real job handlers; stopped by close(). */
  startWorker(options?: Partial<WorkerOptions>, handlers?: JobHandlers): Worker;
  /** Resolves when no job is queued or running (dead ones aside). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app on a migrated database. `ownDatabase` on PostgreSQL for suites that run
 * workers: a worker claims every business's jobs, other suites' included.
 */
export async function messagingApp(options: { clock?: Clock; config?: Partial<Record<ConfigName, string>>; ownDatabase?: boolean } = {}): Promise<MessagingApp> {
  const clock = options.clock ?? new TestClock();
  const core = await testCore({ clock, config: options.config, ownDatabase: options.ownDatabase });
  const ids = new PublicIds(await publicIdAlphabet(core));
  const app = await buildApp({ ctx: core, ids, metrics: new Metrics() });
  await app.ready();
  const workers: Worker[] = [];
  let counter = 0;
  return {
    app,
    core,
    ids,
    clock,
    startWorker(overrides = {}, handlers = jobHandlers(core)) {
      counter += 1;
      const worker = new Worker(core, handlers, {
        concurrency: 4,
        pollMs: 10,
        leaseMs: 5_000,
        workerId: `messaging-${counter}`,
        backoff: { baseMs: 20, maxMs: 200 },
        random: () => 0.5,
        ...overrides,
      });
      worker.start();
      workers.push(worker);
      return worker;
    },
    async drain(timeoutMs = 10_000) {
      await until(async () => {
        const row = await core.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '!=', 'dead')
          .executeTakeFirstOrThrow();
        return Number(row.n) === 0;
      }, timeoutMs, 'the job queue to drain');
    },
    async close() {
      // Twice the test runner ended a suite here with "Promise resolution is still pending but
      // the event loop has already resolved": some wait of the close had nothing ref'd behind
      // it (an unref'd timer, presumably; in a server the listener keeps the process alive).
      // Which wait is not pinned down. A ref'd deadline keeps the loop alive meanwhile, and
      // turns a close that never ends into an error that says so.
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        deadline = setTimeout(() => reject(new Error('closing the messaging app took over 15 s')), 15_000);
      });
      const closing = (async () => {
        for (const worker of workers) await worker.stop(2_000);
        await channelProviders(core).close();
        await app.close();
        await core.dispose();
      })();
      try {
        await Promise.race([closing, timedOut]);
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The business's channels of one technology (the defaults included). */
export async function channelsOf(api: Api, technology?: string): Promise<ChannelJson[]> {
  const res = await api.get<{ channels: ChannelJson[] }>(`/channels${technology ? `?technology=${technology}` : ''}`);
  assert.equal(res.status, 200, res.text);
  return res.body.channels;
}

export async function createChannel(api: Api, body: Record<string, unknown>): Promise<ChannelJson> {
  const res = await api.post<ChannelJson>('/channels', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

export async function send(api: Api, body: Record<string, unknown>): Promise<MessageJson> {
  const res = await api.post<MessageJson>('/messages', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

export async function message(api: Api, id: string): Promise<MessageJson> {
  const res = await api.get<MessageJson>(`/messages/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** Waits until the message reaches one of `states`. */
export async function settled(api: Api, id: string, states: readonly MessageJson['state'][] = ['delivered', 'failed'], timeoutMs = 10_000): Promise<MessageJson> {
  let last: MessageJson | undefined;
  await until(async () => {
    last = await message(api, id);
    return states.includes(last.state);
  }, timeoutMs, `message ${id} to be ${states.join(' or ')}`);
  if (!last) throw new Error('unreachable');
  return last;
}

export async function inbound(api: Api, body: Record<string, unknown>): Promise<MessageJson> {
  const res = await api.post<MessageJson>('/dev/inbox/inbound', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

export async function devInbox(api: Api, query = ''): Promise<DevInboxEntryJson[]> {
  const res = await api.get<{ messages: DevInboxEntryJson[] }>(`/dev/inbox${query}`);
  assert.equal(res.status, 200, res.text);
  return res.body.messages;
}
