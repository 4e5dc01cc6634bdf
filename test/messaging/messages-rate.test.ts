import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeApi, type SeenRequest } from '../../src/channels/testing.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { spawnWorkerProcess, type WorkerProcess } from './messages-peers.js';
import { createChannel, messagingApp, send, tenant, until, type MessagingApp } from './messages-support.js';

/**
 * Per-channel send rates hold across workers and processes: this process runs one worker, a
 * `hellohub worker` process another, both on one database, sending through one channel to a
 * gateway that notes when each message arrives.
 */
describe('per-channel rate limits', () => {
  let t: MessagingApp;
  let completedHere = 0;
  before(async () => {
    t = await messagingApp({ clock: systemClock, ownDatabase: true });
  });
  after(() => t.close());

  /**
   * Accepts `count` messages for one channel, then lets a worker here and a worker process
   * send them. The messages are written before the workers start: on SQLite a second process
   * committing between an API transaction's first read and its first write makes that
   * transaction fail with "database is locked" (see docs/messaging.md).
   */
  async function burst(rate: number, count: number, origin: string, ctx: Parameters<typeof startFakeApi>[0]): Promise<number[]> {
    const arrivals: number[] = [];
    const fake = await startFakeApi(ctx, (_request: SeenRequest, response) => {
      arrivals.push(performance.now());
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${arrivals.length}` }));
    });
    const api = await tenant(t);
    const channel = await createChannel(api, { technology: 'sms', origin, provider: 'http-sms', rate, settings: { baseUrl: fake.origin, accountSid: 'AC1', authToken: 'tok' } });
    const profile = await api.createProfile({ phone: '+31612345678', subscribe: true });
    for (let i = 0; i < count; i += 1) await send(api, { profile, body: `Message ${i}`, origin: channel.origin });
    const other: WorkerProcess = spawnWorkerProcess({ dataDir: t.core.dataDir, databaseUrl: t.core.databaseUrl }, { WORKER_CONCURRENCY: '4' });
    try {
      await other.ready;
      const here = t.startWorker({ concurrency: 4, hooks: { onCompleted: (job) => void (job.kind === 'message.send' && (completedHere += 1)) } });
      await until(() => arrivals.length === count, 30_000, `${count} messages at the gateway`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await here.stop(2_000);
    } finally {
      await other.stop();
    }
    assert.equal(arrivals.length, count, 'each message sent once');
    return arrivals.sort((a, b) => a - b);
  }

  /**
   * Any `window + 1` consecutive sends span at least three quarters of `window` intervals.
   * The limit paces when sends start; arrivals also carry each request's latency (a new
   * connection, a busy machine: one slow first send compresses the rest), so a quarter is
   * left for that. Two processes ignoring each other's slots would send twice as fast:
   * `window` sends in half the time, which this still refuses.
   */
  function assertPaced(arrivals: number[], rate: number, window: number): void {
    const interval = 1000 / rate;
    for (let i = 0; i + window < arrivals.length; i += 1) {
      const spread = (arrivals[i + window] ?? 0) - (arrivals[i] ?? 0);
      assert.ok(spread >= ((window * 3) / 4) * interval, `sends ${i}..${i + window} came ${spread.toFixed(0)} ms apart; at ${rate}/s they take ${window * interval} ms`);
    }
    const span = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    assert.ok(span >= ((arrivals.length - 1) * 3 / 4) * interval, `${arrivals.length} sends at ${rate}/s took ${span.toFixed(0)} ms`);
  }

  test('two workers in two processes share one channel’s rate', { timeout: 60_000 }, async (ctx) => {
    const before = completedHere;
    const arrivals = await burst(20, 40, '+31612340001', ctx);
    assertPaced(arrivals, 20, 20);
    const here = completedHere - before;
    assert.ok(here > 0 && here < 40, `both processes sent (${here} of 40 from this one)`);
  });

  test('a backlog beyond the wait goes back to the queue, due at its slot, and keeps the pace', { timeout: 60_000 }, async (ctx) => {
    const arrivals = await burst(4, 14, '+31612340002', ctx);
    assertPaced(arrivals, 4, 4);
  });
});
