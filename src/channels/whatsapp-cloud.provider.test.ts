import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { OutboundMessage, Provider, WebhookRequest } from './provider.js';
import { closedPort, recordingEvents, startFakeApi, testDeps, type FakeHandler } from './testing.js';
import { whatsappCloudProvider } from './whatsapp-cloud.provider.js';

const SETTINGS = { phoneNumberId: '1055', accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-me', apiVersion: 'v21.0', timeoutMs: 2_000 };

function provider(t: TestContext, baseUrl: string, settings: Record<string, unknown> = {}): Provider {
  const created = whatsappCloudProvider.create({ ...SETTINGS, baseUrl, ...settings }, recordingEvents(), testDeps(t));
  t.after(() => created.close());
  return created;
}

function whatsapp(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: 314, technology: 'whatsapp', from: '+15550001111', to: '+34611222333', body: 'Hola, see https://acme.test', ...overrides };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): FakeHandler =>
  (_request, response) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const accepted = (id: string) => json(200, { messaging_product: 'whatsapp', contacts: [{ input: '34611222333', wa_id: '34611222333' }], messages: [{ id }] });
const graphError = (status: number, code: number, message: string, details?: string) =>
  json(status, { error: { message, type: 'OAuthException', code, ...(details ? { error_data: { details } } : {}), fbtrace_id: 'Ab1' } });

test('sends text, template and media messages with the bearer token and our id echoed back', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, accepted('wamid.A1'));
  const sender = provider(t, api.origin);

  assert.deepEqual(await sender.send(whatsapp()), { kind: 'accepted', providerId: 'wamid.A1' });
  await sender.send(whatsapp({ template: { name: 'order_ready', language: 'es', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } }));
  await sender.send(whatsapp({ body: 'Your invoice', attachments: [{ url: 'https://cdn.acme.test/inv.pdf', contentType: 'application/pdf', filename: 'inv.pdf' }] }));
  await sender.send(whatsapp({ body: 'Look', attachments: [{ url: 'https://cdn.acme.test/p.jpg', contentType: 'image/jpeg' }] }));

  assert.equal(api.seen.length, 4);
  for (const request of api.seen) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v21.0/1055/messages');
    assert.equal(request.headers.authorization, 'Bearer EAAG-token');
    assert.equal(request.headers['content-type'], 'application/json');
  }
  const [text, template, document, image] = api.seen.map((request) => JSON.parse(request.body) as unknown);
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '34611222333', biz_opaque_callback_data: '314' };
  assert.deepEqual(text, { ...base, type: 'text', text: { body: 'Hola, see https://acme.test', preview_url: true } });
  assert.deepEqual(template, { ...base, type: 'template', template: { name: 'order_ready', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
  assert.deepEqual(document, { ...base, type: 'document', document: { link: 'https://cdn.acme.test/inv.pdf', caption: 'Your invoice', filename: 'inv.pdf' } });
  assert.deepEqual(image, { ...base, type: 'image', image: { link: 'https://cdn.acme.test/p.jpg', caption: 'Look' } });
});

test('errors: 131047 is a permanent re-engagement failure, 4xx permanent, 429/5xx and rate-limit codes retryable', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, graphError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed'));
  const sender = provider(t, api.origin);
  const reengage = await sender.send(whatsapp());
  assert.equal(reengage.kind, 'permanent');
  assert.equal(reengage.kind === 'permanent' && reengage.code, '131047');
  assert.match(reengage.kind === 'permanent' ? reengage.reason : '', /24 hours.*template/);

  api.handler = graphError(400, 100, 'Invalid parameter');
  assert.deepEqual(await sender.send(whatsapp()), { kind: 'permanent', reason: 'whatsapp-cloud 400 (100): Invalid parameter', code: '100' });

  api.handler = graphError(401, 190, 'Error validating access token');
  assert.equal((await sender.send(whatsapp())).kind, 'permanent');

  api.handler = graphError(429, 130429, 'Rate limit hit');
  assert.equal((await sender.send(whatsapp())).kind, 'retryable');

  api.handler = graphError(400, 131056, 'Pair rate limit hit');
  assert.equal((await sender.send(whatsapp())).kind, 'retryable', 'a rate-limit code is retryable even as a 400');

  api.handler = graphError(503, 1, 'Service temporarily unavailable');
  assert.equal((await sender.send(whatsapp())).kind, 'retryable');

  api.handler = json(500, 'not json', { 'retry-after': '3' });
  const broken = await sender.send(whatsapp());
  assert.equal(broken.kind === 'retryable' && broken.retryAfterMs, 3_000);

  api.handler = json(200, { messages: [] });
  assert.equal((await sender.send(whatsapp())).kind, 'permanent', 'taken without an id: never sent again');
});

test('an API that does not answer in time, or is down, is retryable', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, () => undefined);
  const started = Date.now();
  assert.equal((await provider(t, api.origin, { timeoutMs: 500 }).send(whatsapp())).kind, 'retryable');
  assert.ok(Date.now() - started < 3_000);
  assert.equal((await provider(t, `http://127.0.0.1:${await closedPort()}`).send(whatsapp())).kind, 'retryable');
});

test('refuses what it cannot carry before calling the API', { timeout: 5_000 }, async (t) => {
  const api = await startFakeApi(t, accepted('never'));
  const sender = provider(t, api.origin);
  assert.equal((await sender.send(whatsapp({ technology: 'sms' }))).kind, 'permanent');
  assert.equal((await sender.send(whatsapp({ to: 'ana@example.test' }))).kind, 'permanent');
  const two = [
    { url: 'https://cdn.acme.test/1.jpg', contentType: 'image/jpeg' },
    { url: 'https://cdn.acme.test/2.jpg', contentType: 'image/jpeg' },
  ];
  assert.equal((await sender.send(whatsapp({ attachments: two }))).kind, 'permanent');
  assert.equal((await sender.send(whatsapp({ attachments: [{ content: Buffer.from('x'), contentType: 'image/png' }] }))).kind, 'permanent');
  assert.equal(api.seen.length, 0);
});

const parse = (request: WebhookRequest) => whatsappCloudProvider.parseWebhook({ ...SETTINGS, baseUrl: 'https://graph.facebook.com' }, request);

function get(query: Record<string, string>): WebhookRequest {
  return { method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0), url: 'https://hooks.example.test/hooks/whatsapp-cloud/7', receivedAt: 1_700_000_000_000 };
}

function post(payload: unknown, signature: string | null = 'valid', secret = SETTINGS.appSecret): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const header = signature === 'valid' ? `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}` : signature;
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header !== null ? { 'x-hub-signature-256': header } : {}) },
    query: {},
    rawBody,
    url: 'https://hooks.example.test/hooks/whatsapp-cloud/7',
    receivedAt: 1_700_000_000_000,
  };
}

test('GET verification echoes the challenge for the right token only', () => {
  const ok = parse(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' }));
  assert.deepEqual(ok, { kind: 'handled', receipts: [], inbound: [], reply: { status: 200, contentType: 'text/plain', body: '1158201444' } });
  const replayed = parse(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guessed', 'hub.challenge': '1158201444' }));
  assert.deepEqual(replayed, { kind: 'rejected', status: 403, reason: 'hub.verify_token does not match' });
  assert.equal(parse(get({ 'hub.verify_token': 'verify-me', 'hub.challenge': '1' })).kind, 'rejected');
  assert.equal(parse(get({})).kind, 'rejected');
});

const notification = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA1',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: '1055' },
            contacts: [{ profile: { name: 'Ana Pérez' }, wa_id: '34611222333' }],
            statuses: [
              { id: 'wamid.A1', status: 'delivered', timestamp: '1700000100', recipient_id: '34611222333', biz_opaque_callback_data: '314' },
              { id: 'wamid.A2', status: 'read', timestamp: '1700000200', recipient_id: '34611222333' },
              {
                id: 'wamid.A3',
                status: 'failed',
                timestamp: '1700000300',
                recipient_id: '34611222333',
                errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } }],
              },
              { id: 'wamid.A4', status: 'deleted', timestamp: '1700000300' },
            ],
            messages: [
              { from: '34611222333', id: 'wamid.IN1', timestamp: '1700000400', type: 'text', text: { body: 'STOP' } },
              { from: '34611222333', id: 'wamid.IN2', timestamp: '1700000500', type: 'image', image: { id: 'MEDIA9', mime_type: 'image/jpeg', sha256: 'x', caption: 'my receipt' } },
              { from: '34611222333', id: 'wamid.IN3', timestamp: '1700000600', type: 'button', button: { text: 'Yes please', payload: 'YES' } },
            ],
          },
        },
      ],
    },
  ],
};

test('signed POSTs: statuses become receipts (with our echoed id), messages become inbound with media ids', () => {
  const result = parse(post(notification));
  assert.equal(result.kind, 'handled');
  if (result.kind !== 'handled') return;
  assert.deepEqual(result.receipts, [
    { providerId: 'wamid.A1', state: 'delivered', at: 1_700_000_100_000, messageId: 314 },
    { providerId: 'wamid.A2', state: 'delivered', at: 1_700_000_200_000 },
    { providerId: 'wamid.A3', state: 'failed', at: 1_700_000_300_000, reason: '131047 Re-engagement message More than 24 hours' },
  ]);
  assert.deepEqual(result.inbound, [
    { providerId: 'wamid.IN1', from: '+34611222333', to: '+15550001111', body: 'STOP', at: 1_700_000_400_000, profileName: 'Ana Pérez' },
    {
      providerId: 'wamid.IN2',
      from: '+34611222333',
      to: '+15550001111',
      body: 'my receipt',
      at: 1_700_000_500_000,
      media: [{ mediaId: 'MEDIA9', contentType: 'image/jpeg' }],
      profileName: 'Ana Pérez',
    },
    { providerId: 'wamid.IN3', from: '+34611222333', to: '+15550001111', body: 'Yes please', at: 1_700_000_600_000, profileName: 'Ana Pérez' },
  ]);
  assert.deepEqual(result.reply, { status: 200, contentType: 'text/plain', body: '' });
});

test('POSTs with a missing, wrong or foreign signature are rejected', () => {
  assert.deepEqual(parse(post(notification, null)), { kind: 'rejected', status: 401, reason: 'missing X-Hub-Signature-256' });
  assert.equal(parse(post(notification, 'sha256=00')).kind, 'rejected');
  assert.equal(parse(post(notification, 'valid', 'another-app-secret')).kind, 'rejected');
  const signed = post(notification);
  const tampered = { ...signed, rawBody: Buffer.from(signed.rawBody.toString().replace('STOP', 'START')) };
  assert.equal(parse(tampered).kind, 'rejected');
  assert.equal(parse({ ...post('not an object') }).kind, 'rejected');
});
