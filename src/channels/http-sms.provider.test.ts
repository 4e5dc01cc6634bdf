import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { httpSmsProvider, twilioSignature } from './http-sms.provider.js';
import type { OutboundMessage, Provider, WebhookRequest } from './provider.js';
import { closedPort, recordingEvents, startFakeApi, testDeps, type FakeHandler } from './testing.js';

const SETTINGS = { accountSid: 'AC123', authToken: 'tok-secret', timeoutMs: 2_000 };
const HOOK_URL = 'https://hooks.example.test/hooks/http-sms/42';

function provider(t: TestContext, baseUrl: string, settings: Record<string, unknown> = {}): Provider {
  const created = httpSmsProvider.create({ ...SETTINGS, baseUrl, ...settings }, recordingEvents(), testDeps(t));
  t.after(() => created.close());
  return created;
}

function sms(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: 9, technology: 'sms', from: '+15550001111', to: '+34611222333', body: 'Hi there', ...overrides };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): FakeHandler =>
  (_request, response) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

test('posts the Messages API form with basic auth, status callback and media; 201 is accepted with the sid', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, json(201, { sid: 'SM0001', status: 'queued' }));
  const outcome = await provider(t, api.origin).send(
    sms({
      statusCallbackUrl: HOOK_URL,
      attachments: [
        { url: 'https://cdn.example.test/a.jpg', contentType: 'image/jpeg' },
        { url: 'https://cdn.example.test/b.png', contentType: 'image/png' },
      ],
    }),
  );
  assert.deepEqual(outcome, { kind: 'accepted', providerId: 'SM0001' });
  const [request] = api.seen;
  assert.ok(request);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/2010-04-01/Accounts/AC123/Messages.json');
  assert.equal(request.headers.authorization, `Basic ${Buffer.from('AC123:tok-secret').toString('base64')}`);
  assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  const form = new URLSearchParams(request.body);
  assert.equal(form.get('To'), '+34611222333');
  assert.equal(form.get('From'), '+15550001111');
  assert.equal(form.get('Body'), 'Hi there');
  assert.equal(form.get('StatusCallback'), HOOK_URL);
  assert.deepEqual(form.getAll('MediaUrl'), ['https://cdn.example.test/a.jpg', 'https://cdn.example.test/b.png']);
});

test('4xx is permanent with the gateway code; 5xx and 429 retryable, honouring Retry-After', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, json(400, { code: 21211, message: "The 'To' number is not valid", status: 400 }));
  const sender = provider(t, api.origin);
  const invalid = await sender.send(sms());
  assert.equal(invalid.kind, 'permanent');
  assert.equal(invalid.kind === 'permanent' && invalid.code, '21211');
  assert.match(invalid.kind === 'permanent' ? invalid.reason : '', /not valid/);

  api.handler = json(500, { message: 'oops' });
  assert.deepEqual(await sender.send(sms()), { kind: 'retryable', reason: 'http-sms 500: oops' });

  api.handler = json(503, { message: 'maintenance' }, { 'retry-after': '7' });
  const unavailable = await sender.send(sms());
  assert.equal(unavailable.kind === 'retryable' && unavailable.retryAfterMs, 7_000);

  api.handler = json(429, { code: 20429, message: 'Too Many Requests' }, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
  const limited = await sender.send(sms());
  assert.equal(limited.kind, 'retryable');
  const wait = limited.kind === 'retryable' ? (limited.retryAfterMs ?? 0) : 0;
  assert.ok(wait > 25_000 && wait <= 30_000, `waits ${wait} ms`);

  api.handler = json(201, {});
  assert.equal((await sender.send(sms())).kind, 'permanent', 'taken without a sid: never sent again');
});

test('a gateway that does not answer in time, or is down, is retryable', { timeout: 10_000 }, async (t) => {
  const api = await startFakeApi(t, () => undefined);
  const started = Date.now();
  const slow = await provider(t, api.origin, { timeoutMs: 500 }).send(sms());
  assert.equal(slow.kind, 'retryable');
  assert.ok(Date.now() - started < 3_000);
  const down = await provider(t, `http://127.0.0.1:${await closedPort()}`).send(sms());
  assert.equal(down.kind, 'retryable');
});

test('refuses what it cannot carry', { timeout: 5_000 }, async (t) => {
  const sender = provider(t, 'http://127.0.0.1:9');
  assert.equal((await sender.send(sms({ technology: 'whatsapp' }))).kind, 'permanent');
  assert.equal((await sender.send(sms({ attachments: [{ content: Buffer.from('x'), contentType: 'image/png' }] }))).kind, 'permanent');
});

test("the signature follows Twilio's published example", () => {
  const params = new URLSearchParams({ To: '+18005551212', CallSid: 'CA1234567890ABCDE', Digits: '1234', From: '+12349013030', Caller: '+12349013030' });
  assert.equal(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
});

function webhook(params: Record<string, string>, options: { signature?: string | null; url?: string; signedUrl?: string; method?: string } = {}): WebhookRequest {
  const form = new URLSearchParams(params);
  const signature = options.signature === undefined ? twilioSignature(SETTINGS.authToken, options.signedUrl ?? options.url ?? HOOK_URL, form) : options.signature;
  return {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature !== null ? { 'x-twilio-signature': signature } : {}) },
    query: {},
    rawBody: Buffer.from(form.toString()),
    url: options.url ?? HOOK_URL,
    receivedAt: 1_700_000_000_000,
  };
}

const parse = (request: WebhookRequest) => httpSmsProvider.parseWebhook({ ...SETTINGS, baseUrl: 'https://api.twilio.com' }, request);

test('status callbacks become receipts', () => {
  const delivered = parse(webhook({ MessageSid: 'SM0001', MessageStatus: 'delivered', AccountSid: 'AC123' }));
  assert.equal(delivered.kind, 'handled');
  assert.deepEqual(delivered.kind === 'handled' && delivered.receipts, [{ providerId: 'SM0001', state: 'delivered', at: 1_700_000_000_000 }]);

  const failed = parse(webhook({ MessageSid: 'SM0002', MessageStatus: 'undelivered', ErrorCode: '30003', ErrorMessage: 'Unreachable handset' }));
  assert.deepEqual(failed.kind === 'handled' && failed.receipts[0], { providerId: 'SM0002', state: 'failed', at: 1_700_000_000_000, reason: 'undelivered (30003): Unreachable handset' });

  const sent = parse(webhook({ MessageSid: 'SM0003', MessageStatus: 'sent' }));
  assert.equal(sent.kind === 'handled' && sent.receipts[0]?.state, 'sent');

  const queued = parse(webhook({ MessageSid: 'SM0004', MessageStatus: 'queued' }));
  assert.deepEqual(queued.kind === 'handled' && queued.receipts, [], 'steps before sending record nothing');
});

test('inbound messages, with their media, answered with empty TwiML', () => {
  const result = parse(
    webhook({
      MessageSid: 'SM0100',
      SmsStatus: 'received',
      From: '+34611222333',
      To: '+15550001111',
      Body: 'STOP',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/media/ME2',
      MediaContentType1: 'video/mp4',
    }),
  );
  assert.equal(result.kind, 'handled');
  if (result.kind !== 'handled') return;
  assert.deepEqual(result.inbound, [
    {
      providerId: 'SM0100',
      from: '+34611222333',
      to: '+15550001111',
      body: 'STOP',
      at: 1_700_000_000_000,
      media: [
        { url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' },
        { url: 'https://api.twilio.com/media/ME2', contentType: 'video/mp4' },
      ],
    },
  ]);
  assert.equal(result.reply.contentType, 'text/xml');
  assert.match(result.reply.body, /<Response><\/Response>/);
});

test('webhooks without a valid signature are rejected', () => {
  const params = { MessageSid: 'SM0001', MessageStatus: 'delivered' };
  assert.deepEqual(parse(webhook(params, { signature: null })), { kind: 'rejected', status: 401, reason: 'missing X-Twilio-Signature' });
  assert.equal(parse(webhook(params, { signature: 'bm90IGl0' })).kind, 'rejected');
  const tampered = webhook(params);
  assert.equal(parse({ ...tampered, rawBody: Buffer.from('MessageSid=SM0001&MessageStatus=failed') }).kind, 'rejected');
  assert.equal(parse(webhook(params, { signedUrl: 'https://elsewhere.example.test/hooks/http-sms/42' })).kind, 'rejected', 'signed for another URL');
  const otherToken = twilioSignature('other-token', HOOK_URL, new URLSearchParams(params));
  assert.equal(parse(webhook(params, { signature: otherToken })).kind, 'rejected');
  assert.equal(parse(webhook(params, { method: 'GET' })).kind, 'rejected');
});

test('a signature over the URL with its default port also verifies', () => {
  const params = { MessageSid: 'SM0001', MessageStatus: 'delivered' };
  const result = parse(webhook(params, { signedUrl: 'https://hooks.example.test:443/hooks/http-sms/42' }));
  assert.equal(result.kind, 'handled');
});
