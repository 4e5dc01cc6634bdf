import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { forBusiness, inTransaction } from '../../src/core/shared/tenant.js';
import { emitWebhookEvent, MAX_WEBHOOKS, type WebhookEvent } from '../../src/core/webhooks/webhooks.service.js';
import { jobHandlers } from '../../src/jobs/run-worker.js';
import { Worker } from '../../src/jobs/worker.js';
import { ENCODINGS, assertError, sortedKeys, tenant, type Api } from '../audience/audience-client.js';
import { until } from '../jobs/jobs-test-core.js';
import { testApp, type TestApp } from '../support/app.js';

interface WebhookJson {
  id: string;
  type: 'webhook';
  url: string;
  events: WebhookEvent[];
  active: boolean;
  created_at: number;
  updated_at: number;
  secret?: string;
}

interface DeliveryJson {
  id: string;
  type: 'webhook_delivery';
  webhook: string;
  uuid: string;
  event: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  payload: Record<string, unknown>;
  created_at: number;
  delivered_at: number | null;
}

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const WEBHOOK_KEYS = ['active', 'created_at', 'events', 'id', 'type', 'updated_at', 'url'];
const DELIVERY_KEYS = ['attempts', 'created_at', 'delivered_at', 'event', 'id', 'last_error', 'payload', 'response_status', 'state', 'type', 'uuid', 'webhook'];
const TIMEOUT_MS = 300;
const MAX_ATTEMPTS = 3;

/**
 * A real HTTP receiver on a local port. Each request takes the next scripted answer (a
 * status, "hang": never answer, or "redirect": 307 to /elsewhere) and falls back to 200.
 */
class Receiver {
  readonly received: Received[] = [];
  readonly script: Array<number | 'hang' | 'redirect'> = [];
  readonly #hanging: ServerResponse[] = [];
  #server: Server | undefined;
  #base = '';

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.script.shift() ?? 200;
        if (answer === 'hang') return void this.#hanging.push(response);
        if (answer === 'redirect') return void response.writeHead(307, { location: '/elsewhere' }).end();
        response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the receiver is not listening on a port');
    this.#base = `http://127.0.0.1:${address.port}`;
  }

  url(path: string): string {
    return `${this.#base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

/** The check docs/webhooks.md tells receivers to make, written from the recipe, not from our code. */
function verifies(secret: string, request: Received): boolean {
  const timestamp = String(request.headers['x-hellohub-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-hellohub-signature']));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** /v1/webhooks (extension): subscriptions, signed deliveries by jobs, retries, the delivery log. */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  const cleanups: Array<() => Promise<void>> = [];

  before(async () => {
    // Workers see every business's jobs: a database of their own.
    t = await testApp({ ownDatabase: true, config: { OUTBOUND_TIMEOUT_MS: String(TIMEOUT_MS), JOB_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
    receiver = new Receiver();
    await receiver.start();
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The installation's worker with its registered handlers, fast backoff, stopped after the test. */
  function startWorker(): void {
    const worker = new Worker(t.core, jobHandlers(t.core), {
      concurrency: 2,
      pollMs: 5,
      leaseMs: 10_000,
      workerId: `webhooks-test-${Math.random()}`,
      backoff: { baseMs: 20, maxMs: 40 },
      random: () => 0.99,
    });
    worker.start();
    cleanups.push(() => worker.stop(2000));
  }

  async function create(api: Api, body: Record<string, unknown>): Promise<WebhookJson & { secret: string }> {
    const res = await api.post<WebhookJson & { secret: string }>('/webhooks', body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async function deliveries(api: Api, webhook: string, query = ''): Promise<DeliveryJson[]> {
    const res = await api.get<{ deliveries: DeliveryJson[] }>(`/webhooks/${webhook}/deliveries${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body.deliveries;
  }

  async function emit(api: Api, event: WebhookEvent, payload: object): Promise<void> {
    await inTransaction(forBusiness(t.core, api.businessId), (trx) => emitWebhookEvent(trx, event, () => payload));
  }

  /** Waits until every delivery of the webhook has settled; answers them newest first. */
  async function settled(api: Api, webhook: string, count: number): Promise<DeliveryJson[]> {
    let log: DeliveryJson[] = [];
    await until(
      async () => {
        log = await deliveries(api, webhook);
        return log.length === count && log.every((delivery) => delivery.state !== 'pending');
      },
      10_000,
      'deliveries to settle',
    );
    return log;
  }

  const jobsOf = (api: Api) => t.core.db.selectFrom('jobs').selectAll().where('business_id', '=', api.businessId).execute();

  test('create answers the secret once; retrieve, list, update and delete answer the webhook without it', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const created = await create(api, { url: 'https://hooks.example/in' });
      assert.deepEqual(sortedKeys(created), [...WEBHOOK_KEYS, 'secret'].sort());
      assert.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      const { secret, ...webhook } = created;
      assert.equal(secret.length > 0, true);
      assert.deepEqual({ ...webhook, id: '-', created_at: 0, updated_at: 0 }, { id: '-', type: 'webhook', url: 'https://hooks.example/in', events: ['message.state_changed', 'message.received'], active: true, created_at: 0, updated_at: 0 });

      const got = await api.get<WebhookJson>(`/webhooks/${webhook.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, webhook);

      const updated = await api.patch<WebhookJson>(`/webhooks/${webhook.id}`, { url: 'http://hooks.example/v2', events: ['message.received'], active: false });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual({ ...updated.body, updated_at: 0 }, { ...webhook, url: 'http://hooks.example/v2', events: ['message.received'], active: false, updated_at: 0 });
      const partly = await api.patch<WebhookJson>(`/webhooks/${webhook.id}`, { active: true });
      assert.deepEqual({ ...partly.body, updated_at: 0 }, { ...updated.body, active: true, updated_at: 0 });
      assert.deepEqual((await api.get<WebhookJson>(`/webhooks/${webhook.id}`)).body, partly.body);

      const second = await create(api, { url: 'https://hooks.example/two', events: ['message.state_changed', 'message.state_changed'], active: 'false' });
      assert.deepEqual([second.events, second.active], [['message.state_changed'], false]);
      const list = await api.get<{ webhooks: WebhookJson[] }>('/webhooks');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.webhooks.map((item) => item.id),
        [second.id, webhook.id],
      );
      assert.ok(list.body.webhooks.every((item) => !('secret' in item)));
      assert.deepEqual((await api.get<{ webhooks: WebhookJson[] }>('/webhooks?limit=1')).body.webhooks.map((item) => item.id), [second.id]);
      assert.deepEqual((await api.get<{ webhooks: WebhookJson[] }>(`/webhooks?starting_after=${second.id}`)).body.webhooks.map((item) => item.id), [webhook.id]);
      assert.deepEqual((await api.get<{ webhooks: WebhookJson[] }>(`/webhooks?ending_before=${webhook.id}`)).body.webhooks.map((item) => item.id), [second.id]);

      const deleted = await api.delete(`/webhooks/${webhook.id}`);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { id: webhook.id, type: 'webhook', deleted: true });
      for (const res of [
        await api.get(`/webhooks/${webhook.id}`),
        await api.patch(`/webhooks/${webhook.id}`, { active: false }),
        await api.delete(`/webhooks/${webhook.id}`),
        await api.post(`/webhooks/${webhook.id}/rotate_secret`),
        await api.get(`/webhooks/${webhook.id}/deliveries`),
      ]) {
        assertError(res, 404, 'not_found', 'id');
      }
    }
  });

  test('every documented refusal', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      assertError(await api.post('/webhooks', {}), 400, 'parameter_missing', 'url');
      assertError(await api.post('/webhooks', { url: '' }), 422, 'parameter_invalid_empty', 'url');
      assertError(await api.post('/webhooks', { url: '  ' }), 422, 'parameter_invalid_empty', 'url');
      for (const url of ['hooks.example/in', 'ftp://hooks.example/in', 'https://hooks.example/a b', 'https://user:pass@hooks.example/in', `https://hooks.example/${'x'.repeat(2048)}`]) {
        assertError(await api.post('/webhooks', { url }), 422, 'invalid', 'url');
      }
      assertError(await api.post('/webhooks', { url: 'https://hooks.example', events: [] }), 422, 'parameter_invalid_empty', 'events');
      assertError(await api.post('/webhooks', { url: 'https://hooks.example', events: ['message.sent'] }), 422, 'invalid', 'events');
      assertError(await api.post('/webhooks', { url: 'https://hooks.example', events: ['message.received', 'order.placed'] }), 422, 'invalid', 'events');
      assertError(await api.post('/webhooks', { url: 'https://hooks.example', active: 'maybe' }), 422, 'invalid', 'active');
      const webhook = await create(api, { url: 'https://hooks.example' });
      assertError(await api.patch(`/webhooks/${webhook.id}`, { url: '' }), 422, 'parameter_invalid_empty', 'url');
      assertError(await api.patch(`/webhooks/${webhook.id}`, { url: 'mailto:a@b.example' }), 422, 'invalid', 'url');
      assertError(await api.patch(`/webhooks/${webhook.id}`, { events: [] }), 422, 'parameter_invalid_empty', 'events');
      assertError(await api.get('/webhooks/zz-zzzzz'), 404, 'not_found', 'id');
      assertError(await api.get('/webhooks/zz-zzzzz/deliveries'), 404, 'not_found', 'id');
      assertError(await api.get('/webhooks?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
      assertError(await api.get(`/webhooks/${webhook.id}/deliveries?ending_before=zz-zzzzz`), 422, 'invalid', 'ending_before');
      const { secret: _secret, ...shown } = webhook;
      assert.deepEqual((await api.get<WebhookJson>(`/webhooks/${webhook.id}`)).body, shown, 'the refused updates changed nothing');
    }
    const api = await tenant(t);
    for (let i = 0; i < MAX_WEBHOOKS; i++) await create(api, { url: `https://hooks.example/${i}` });
    assertError(await api.post('/webhooks', { url: 'https://hooks.example/one-too-many' }), 422, 'not_allowed');
  });

  test('a delivery is a signed JSON POST to each active subscribed webhook, logged as delivered', async () => {
    const api = await tenant(t);
    const both = await create(api, { url: receiver.url('/a/both') });
    const received = await create(api, { url: receiver.url('/a/received'), events: ['message.received'] });
    const states = await create(api, { url: receiver.url('/a/states'), events: ['message.state_changed'] });
    const inactive = await create(api, { url: receiver.url('/a/inactive'), active: false });
    startWorker();

    const payload = { message: { id: 'zGrDJ1Lb', type: 'message', body: 'Thanks!', state: 'received' } };
    await emit(api, 'message.received', payload);
    const [delivery] = await settled(api, both.id, 1);
    await settled(api, received.id, 1);
    assert.deepEqual(await deliveries(api, states.id), []);
    assert.deepEqual(await deliveries(api, inactive.id), []);
    assert.equal(receiver.at('/a/states').length + receiver.at('/a/inactive').length, 0);

    assert.ok(delivery);
    assert.deepEqual(sortedKeys(delivery), DELIVERY_KEYS);
    assert.deepEqual(
      { ...delivery, id: '-', uuid: '-', created_at: 0, delivered_at: 0 },
      { id: '-', type: 'webhook_delivery', webhook: both.id, uuid: '-', event: 'message.received', state: 'delivered', attempts: 1, response_status: 200, last_error: null, payload, created_at: 0, delivered_at: 0 },
    );
    const [request] = receiver.at('/a/both');
    assert.ok(request);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-hellohub-event'], 'message.received');
    assert.equal(request.headers['x-hellohub-delivery'], delivery.uuid);
    assert.match(delivery.uuid, /^[0-9a-f-]{36}$/);
    assert.ok(verifies(both.secret, request), 'signed with the webhook’s secret');
    assert.ok(!verifies(received.secret, request), 'not with another one');
    assert.deepEqual(JSON.parse(request.body), { id: delivery.uuid, event: 'message.received', created_at: delivery.created_at, data: payload });
    const other = receiver.at('/a/received')[0];
    assert.ok(other && verifies(received.secret, other));
    assert.deepEqual(await jobsOf(api), [], 'done jobs are gone');
  });

  test('5xx answers are retried with the same delivery id and body until a 2xx', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/b/flaky'), events: ['message.state_changed'] });
    receiver.script.push(500, 503);
    startWorker();
    await emit(api, 'message.state_changed', { message: { id: 'm1', state: 'delivered' } });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status, delivery.last_error], ['delivered', 3, 200, null]);
    const requests = receiver.at('/b/flaky');
    assert.equal(requests.length, 3);
    assert.deepEqual(new Set(requests.map((request) => request.headers['x-hellohub-delivery'])), new Set([delivery.uuid]));
    assert.deepEqual(new Set(requests.map((request) => request.body)).size, 1);
    assert.ok(requests.every((request) => verifies(webhook.secret, request)));
  });

  test('after the last attempt the delivery is failed with the last status and error, and the job is done', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/c/down') });
    receiver.script.push(500, 502, 404);
    startWorker();
    await emit(api, 'message.received', { n: 1 });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status, delivery.delivered_at], ['failed', MAX_ATTEMPTS, 404, null]);
    assert.match(delivery.last_error ?? '', /404/);
    assert.equal(receiver.at('/c/down').length, MAX_ATTEMPTS);
    // The delivery is marked failed inside the last attempt; its job ends just after.
    await until(async () => (await jobsOf(api)).length === 0, 5000, 'the job to finish');
  });

  test('a receiver slower than the time limit is a failed attempt, retried', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/d/slow') });
    receiver.script.push('hang');
    startWorker();
    await emit(api, 'message.received', { n: 1 });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status, delivery.last_error], ['delivered', 2, 200, null]);
    assert.equal(receiver.at('/d/slow').length, 2);
  });

  test('a receiver that never answers in time ends failed, with the time limit as its error', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/d/silent') });
    receiver.script.push('hang', 'hang', 'hang');
    startWorker();
    await emit(api, 'message.received', { n: 1 });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status], ['failed', MAX_ATTEMPTS, null]);
    assert.match(delivery.last_error ?? '', new RegExp(`longer than ${TIMEOUT_MS} ms`));
  });

  test('a redirect is no delivery, even when its target answers 2xx', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/j/moved') });
    // Each attempt: the 307, then the 200 of /elsewhere.
    for (let i = 0; i < MAX_ATTEMPTS; i++) receiver.script.push('redirect', 200);
    startWorker();
    await emit(api, 'message.received', { n: 1 });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status], ['failed', MAX_ATTEMPTS, null]);
    assert.equal(delivery.last_error, `The receiver redirected to ${receiver.url('/elsewhere')}; register that URL instead.`);
    assert.equal(receiver.at('/j/moved').length, MAX_ATTEMPTS);
    assert.equal(receiver.at('/elsewhere').length, MAX_ATTEMPTS);
  });

  test('network failures are retried, then failed with the error', async () => {
    const api = await tenant(t);
    const closed = new Receiver();
    await closed.start();
    const url = closed.url('/gone');
    await closed.close();
    const webhook = await create(api, { url });
    startWorker();
    await emit(api, 'message.received', { n: 1 });
    const [delivery] = await settled(api, webhook.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts, delivery.response_status], ['failed', MAX_ATTEMPTS, null]);
    assert.match(delivery.last_error ?? '', /failed/);
  });

  test('rotate_secret answers a new secret once; later deliveries are signed with it', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const webhook = await create(api, { url: receiver.url(`/e/${encoding}`) });
      const rotated = await api.post<WebhookJson & { secret: string }>(`/webhooks/${webhook.id}/rotate_secret`);
      assert.equal(rotated.status, 200, rotated.text);
      assert.deepEqual(sortedKeys(rotated.body), [...WEBHOOK_KEYS, 'secret'].sort());
      assert.notEqual(rotated.body.secret, webhook.secret);
      assert.equal(rotated.body.id, webhook.id);
      assert.ok(!('secret' in (await api.get<WebhookJson>(`/webhooks/${webhook.id}`)).body));
      startWorker();
      await emit(api, 'message.received', { n: 1 });
      await settled(api, webhook.id, 1);
      const [request] = receiver.at(`/e/${encoding}`);
      assert.ok(request);
      assert.ok(verifies(rotated.body.secret, request));
      assert.ok(!verifies(webhook.secret, request));
      for (const cleanup of cleanups.splice(0)) await cleanup();
    }
  });

  test('the delivery log is newest first and paginated', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/f/log') });
    for (const n of [1, 2, 3]) await emit(api, 'message.received', { n });
    startWorker();
    const log = await settled(api, webhook.id, 3);
    assert.deepEqual(log.map((delivery) => delivery.payload.n), [3, 2, 1]);
    const page = async (query: string) => (await deliveries(api, webhook.id, query)).map((delivery) => delivery.payload.n);
    assert.deepEqual(await page('?limit=2'), [3, 2]);
    assert.deepEqual(await page(`?starting_after=${log[1]?.id}`), [1]);
    assert.deepEqual(await page(`?ending_before=${log[2]?.id}&limit=1`), [2]);
  });

  test('deliveries are written with the transaction that caused them: a rollback leaves neither delivery nor job', async () => {
    const api = await tenant(t);
    const webhook = await create(api, { url: receiver.url('/g/rollback') });
    await assert.rejects(
      inTransaction(forBusiness(t.core, api.businessId), async (trx) => {
        await emitWebhookEvent(trx, 'message.received', () => ({ n: 1 }));
        throw new Error('the message write failed');
      }),
      /the message write failed/,
    );
    assert.deepEqual(await deliveries(api, webhook.id), []);
    assert.deepEqual(await jobsOf(api), []);
  });

  test('a webhook deleted or deactivated before its delivery ran is not called', async () => {
    const api = await tenant(t);
    const deleted = await create(api, { url: receiver.url('/h/deleted') });
    const paused = await create(api, { url: receiver.url('/h/paused') });
    await emit(api, 'message.received', { n: 1 });
    assert.equal((await api.delete(`/webhooks/${deleted.id}`)).status, 200);
    assert.equal((await api.patch(`/webhooks/${paused.id}`, { active: false })).status, 200);
    startWorker();
    const [delivery] = await settled(api, paused.id, 1);
    assert.ok(delivery);
    assert.deepEqual([delivery.state, delivery.attempts], ['failed', 0]);
    assert.match(delivery.last_error ?? '', /deactivated/);
    await until(async () => (await jobsOf(api)).length === 0, 5000, 'the jobs to finish');
    assert.equal(receiver.at('/h/deleted').length + receiver.at('/h/paused').length, 0);
  });

  test("tenant isolation: another business's webhook is 404 on every route, and events stay in their business", async () => {
    const owner = await tenant(t);
    const intruder = await tenant(t);
    const webhook = await create(owner, { url: receiver.url('/i/owner') });
    const theirs = await create(intruder, { url: receiver.url('/i/intruder') });
    for (const res of [
      await intruder.get(`/webhooks/${webhook.id}`),
      await intruder.patch(`/webhooks/${webhook.id}`, { url: 'https://evil.example' }),
      await intruder.delete(`/webhooks/${webhook.id}`),
      await intruder.post(`/webhooks/${webhook.id}/rotate_secret`),
      await intruder.get(`/webhooks/${webhook.id}/deliveries`),
    ]) {
      assertError(res, 404, 'not_found', 'id');
    }
    assert.deepEqual((await intruder.get<{ webhooks: WebhookJson[] }>('/webhooks')).body.webhooks.map((item) => item.id), [theirs.id]);
    // A cursor of another business is a bound on keys, nothing more: it shows none of the owner's.
    assert.deepEqual((await intruder.get<{ webhooks: WebhookJson[] }>(`/webhooks?starting_after=${webhook.id}`)).body.webhooks.map((item) => item.id), []);
    const { secret: _secret, ...shown } = webhook;
    assert.deepEqual((await owner.get(`/webhooks/${webhook.id}`)).body, shown, 'unchanged');

    startWorker();
    await emit(owner, 'message.received', { owner: true });
    await settled(owner, webhook.id, 1);
    assert.deepEqual(await deliveries(intruder, theirs.id), []);
    assert.equal(receiver.at('/i/intruder').length, 0);
    const res = await t.app.inject({ method: 'GET', url: '/v1/webhooks' });
    assert.equal(res.statusCode, 401);
  });
});
