import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { channelProviders } from '../../src/core/messaging/messages.providers.js';
import { outboundOf } from '../../src/core/messaging/messages.job.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { claimJobs } from '../../src/jobs/jobs.repository.js';
import { spawnWorkerProcess, startSmtpSink } from './messages-peers.js';
import { createChannel, devInbox, messagingApp, send, settled, tenant, until, type Api, type MessageJson, type MessagingApp } from './messages-support.js';

/**
 * Workers die: between claiming a send job and sending, in the middle of a send, and after the
 * peer took the message but before the outcome was recorded. The job is taken over once its
 * lease expires; a provider that deduplicates (dev-inbox by our id, SMTP receivers by
 * Message-ID) keeps one message. The others send twice in the last case (docs/messaging.md).
 */
describe('a worker that crashes while sending', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ clock: systemClock, ownDatabase: true });
  });
  after(() => t.close());

  const LEASE_MS = 300;

  /** Claims every due job as a worker that then dies: the claim is all it ever does. */
  async function claimAndDie(): Promise<void> {
    const claimed = await claimJobs(t.core.db, t.core.caps, { workerId: 'dead-worker', now: Date.now(), leaseMs: LEASE_MS, limit: 100 });
    assert.ok(claimed.length > 0, 'the dead worker held a job');
  }

  async function rowOf(sent: MessageJson) {
    return t.core.db.selectFrom('messages').selectAll().where('id', '=', t.ids.decode('message', sent.id) ?? 0).executeTakeFirstOrThrow();
  }

  async function emailChannel(api: Api, port: number): Promise<void> {
    await createChannel(api, { technology: 'email', origin: 'news@acme.test', provider: 'smtp', settings: { host: '127.0.0.1', port, from: 'bounces@acme.test', timeoutMs: 5000 } });
  }

  test('dies after claiming, before sending: another worker takes the job over when its lease ends and sends once', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: '+31612345678', subscribe: true });
    const sent = await send(api, { profile, body: 'survives' });
    await claimAndDie();
    const worker = t.startWorker({ leaseMs: 5_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
      assert.equal((await rowOf(sent)).state, 'pending', 'not taken over while the lease holds');
      assert.equal((await settled(api, sent.id)).state, 'delivered');
      assert.deepEqual((await devInbox(api)).map((entry) => entry.id), [sent.id]);
    } finally {
      await worker.stop(2_000);
    }
  });

  test('dies after the peer took it, before recording: the retry sends the same message again, which dedupes', async () => {
    const sink = await startSmtpSink();
    try {
      const api = await tenant(t);
      await emailChannel(api, sink.port);
      const profile = await api.createProfile({ email: 'ana@example.test', phone: '+31612345678', subscribe: true });
      const mail = await send(api, { profile, technology: 'email', origin: 'news@acme.test', subject: 'Once', body: 'Hello' });
      const sms = await send(api, { profile, technology: 'sms', body: 'Once by dev-inbox' });
      await claimAndDie();
      // What the dead worker did before dying: each message handed to its provider, nothing recorded.
      for (const sent of [mail, sms]) {
        const row = await rowOf(sent);
        const channel = await t.core.db.selectFrom('channels').selectAll().where('id', '=', row.channel_id ?? 0).executeTakeFirstOrThrow();
        assert.equal((await channelProviders(t.core).providerFor(channel).send(outboundOf(t.core, row, channel))).kind, 'accepted');
        assert.equal((await rowOf(sent)).state, 'pending');
      }
      const worker = t.startWorker({ leaseMs: 5_000 });
      try {
        assert.equal((await settled(api, mail.id, ['routed', 'failed'])).state, 'routed');
        assert.equal((await settled(api, sms.id)).state, 'delivered');
      } finally {
        await worker.stop(2_000);
      }
      // SMTP has no idempotency key: the server took the mail twice, with one Message-ID, so
      // a receiver deduplicating on it (as mail stores do) shows one.
      assert.equal(sink.received.length, 2);
      assert.deepEqual(new Set(sink.received.map((m) => m.messageId)), new Set([`<${t.ids.decode('message', mail.id)}.hellohub@acme.test>`]));
      // dev-inbox keeps one record per message: the retry replaced the first.
      assert.deepEqual((await devInbox(api)).map((entry) => entry.id), [sms.id]);
    } finally {
      await sink.close();
    }
  });

  test('a worker process killed in the middle of a send: the job is taken over and the mail goes out once', { timeout: 60_000 }, async () => {
    const sink = await startSmtpSink();
    const other = spawnWorkerProcess({ dataDir: t.core.dataDir, databaseUrl: t.core.databaseUrl }, { JOB_LEASE_SECONDS: '1' });
    try {
      await other.ready;
      sink.hold = true;
      const api = await tenant(t);
      await emailChannel(api, sink.port);
      const profile = await api.createProfile({ email: 'ana@example.test', subscribe: true });
      const mail = await send(api, { profile, technology: 'email', origin: 'news@acme.test', subject: 'Crash', body: 'Hello' });
      await until(() => sink.held === 1, 20_000, 'the other process to be in the middle of the send');
      await other.kill();
      sink.hold = false;
      assert.equal((await rowOf(mail)).state, 'pending');
      const worker = t.startWorker({ leaseMs: 5_000 });
      try {
        const routed = await settled(api, mail.id, ['routed', 'failed'], 20_000);
        assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
      } finally {
        await worker.stop(2_000);
      }
      assert.equal(sink.received.length, 1, 'the killed send never completed; the takeover sent it once');
      assert.equal(sink.received[0]?.subject, 'Crash');
    } finally {
      await other.kill();
      await sink.close();
    }
  });
});
