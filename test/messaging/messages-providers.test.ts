import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closedPort, startFakeApi } from '../../src/channels/testing.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { startSmsc, startSmtpSink, submittedText, twilioHook, whatsappHook } from './messages-peers.js';
import { createChannel, message, messagingApp, send, settled, tenant, until, type Api, type ChannelJson, type MessageJson, type MessagingApp } from './messages-support.js';

const PHONE = '+31612345678';
const hookPath = (channel: ChannelJson) => new URL(channel.webhook_url ?? '').pathname;

/** Every real provider end to end through the engine: HTTP in, a worker's job, the peer, receipts and customers' messages back. */
describe('messages through the real providers', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ clock: systemClock, ownDatabase: true, config: { JOB_MAX_ATTEMPTS: '3' } });
    t.startWorker();
  });
  after(() => t.close());

  async function profileWith(api: Api, fields: Record<string, unknown> = { phone: PHONE }): Promise<string> {
    return api.createProfile({ ...fields, subscribe: true });
  }

  describe('smtp', () => {
    test('delivers the mail to the server: From the channel, its Message-ID, subject, text and HTML; routed with the id', async () => {
      const sink = await startSmtpSink();
      try {
        const api = await tenant(t);
        await createChannel(api, { technology: 'email', origin: 'Acme <news@acme.test>', provider: 'smtp', settings: { host: '127.0.0.1', port: sink.port, from: 'bounces@acme.test', timeoutMs: 3000 } });
        const profile = await profileWith(api, { email: 'ana@example.test' });
        const sent = await send(api, { profile, technology: 'email', origin: 'news@acme.test', subject: 'Hello', body: 'Plain', html: '<b>Rich</b>' });
        const routed = await settled(api, sent.id, ['routed', 'failed']);
        assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
        assert.ok(routed.routed_at);
        assert.equal(sink.received.length, 1);
        const [mail] = sink.received;
        const id = t.ids.decode('message', sent.id);
        assert.equal(mail?.messageId, `<${id}.hellohub@acme.test>`);
        assert.equal(mail?.from?.text, '"Acme" <news@acme.test>');
        assert.equal(mail?.subject, 'Hello');
        assert.equal(mail?.text?.trim(), 'Plain');
        assert.equal(mail?.html, '<b>Rich</b>');
        const row = await t.core.db.selectFrom('messages').select('provider_id').where('id', '=', id ?? 0).executeTakeFirstOrThrow();
        assert.equal(row.provider_id, `<${id}.hellohub@acme.test>`, 'the provider id is recorded with the routed state');
      } finally {
        await sink.close();
      }
    });

    test('a 5xx reply fails the message with its reason; a 4xx is retried until it passes', async () => {
      const sink = await startSmtpSink();
      try {
        const api = await tenant(t);
        await createChannel(api, { technology: 'email', origin: 'news@acme.test', provider: 'smtp', settings: { host: '127.0.0.1', port: sink.port, from: 'bounces@acme.test', timeoutMs: 3000 } });
        const gone = await profileWith(api, { email: 'gone@example.test' });
        const busy = await profileWith(api, { email: 'busy@example.test' });
        let busyTries = 0;
        sink.refuse = (address) => (address.startsWith('gone@') ? 550 : address.startsWith('busy@') && ++busyTries < 2 ? 451 : undefined);
        const failed = await settled(api, (await send(api, { profile: gone, technology: 'email', origin: 'news@acme.test', subject: 's', body: 'b' })).id);
        assert.equal(failed.state, 'failed');
        assert.match(failed.failure_reason ?? '', /SMTP 550/);
        const retried = await settled(api, (await send(api, { profile: busy, technology: 'email', origin: 'news@acme.test', subject: 's', body: 'b' })).id, ['routed', 'failed']);
        assert.equal(retried.state, 'routed');
        assert.equal(busyTries, 2);
        assert.equal(sink.received.length, 1);
      } finally {
        await sink.close();
      }
    });

    test('a server that stays down fails the message after the last attempt', async () => {
      const api = await tenant(t);
      await createChannel(api, { technology: 'email', origin: 'news@acme.test', provider: 'smtp', settings: { host: '127.0.0.1', port: await closedPort(), from: 'bounces@acme.test', timeoutMs: 1000 } });
      const profile = await profileWith(api, { email: 'ana@example.test' });
      const failed = await settled(api, (await send(api, { profile, technology: 'email', origin: 'news@acme.test', subject: 's', body: 'b' })).id);
      assert.equal(failed.state, 'failed');
      assert.match(failed.failure_reason ?? '', /^Gave up after 3 attempts: SMTP/);
    });
  });

  describe('smpp', () => {
    test('submit_sm, a DELIVRD receipt, and a handset message arriving on the worker’s bind', async () => {
      const smsc = await startSmsc();
      try {
        const api = await tenant(t);
        const channel = await createChannel(api, {
          technology: 'sms',
          origin: '+31612340001',
          provider: 'smpp',
          settings: { host: '127.0.0.1', port: smsc.port, systemId: 'hellohub', password: 'secret', timeoutMs: 2000, reconnectMinMs: 50, reconnectMaxMs: 200 },
        });
        const profile = await profileWith(api);
        const sent = await send(api, { profile, body: 'Hello by SMPP', origin: channel.origin });
        const routed = await settled(api, sent.id, ['routed', 'failed']);
        assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
        assert.equal(submittedText(smsc.submits[0]), 'Hello by SMPP');
        assert.equal(smsc.submits[0]?.destination_addr, '31612345678');

        const ack = await smsc.deliver({ source_addr: '31612345678', destination_addr: '31612340001', esm_class: 0x04, short_message: 'id:smsc-1 sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:Hello' });
        assert.equal(ack.command_status, 0, 'answered once stored');
        const delivered = await message(api, sent.id);
        assert.equal(delivered.state, 'delivered');

        const incoming = await smsc.deliver({ source_addr: '31612345678', source_addr_ton: 1, destination_addr: '31612340001', short_message: 'Thanks!' });
        assert.equal(incoming.command_status, 0);
        const listed = await api.get<{ messages: MessageJson[] }>(`/messages?profile=${profile}`);
        const received = listed.body.messages.find((m) => m.direction === 'inbound');
        assert.equal(received?.body, 'Thanks!');
        assert.equal(received?.channel, channel.id);
        assert.equal(received?.origin, PHONE);
      } finally {
        await smsc.stop();
      }
    });

    test('the worker binds every active smpp channel, so messages arrive before anything is sent', async () => {
      const smsc = await startSmsc();
      try {
        const api = await tenant(t);
        await createChannel(api, {
          technology: 'sms',
          origin: '+31612340002',
          provider: 'smpp',
          settings: { host: '127.0.0.1', port: smsc.port, systemId: 'hellohub', password: 'secret', timeoutMs: 2000, reconnectMinMs: 50, reconnectMaxMs: 200 },
        });
        const { channelProviders } = await import('../../src/core/messaging/messages.providers.js');
        await channelProviders(t.core).sync();
        await until(() => smsc.sessions.size === 1, 5000, 'the bind');
        const incoming = await smsc.deliver({ source_addr: '31687654321', destination_addr: '31612340002', short_message: 'STOP' });
        assert.equal(incoming.command_status, 0);
        const messages = (await api.get<{ messages: MessageJson[] }>('/messages')).body.messages;
        assert.deepEqual(messages.map((m) => [m.direction, m.body]).slice(-1), [['inbound', 'STOP']]);
      } finally {
        await smsc.stop();
      }
    });

    test('throttling is retried; a refused destination fails the message', async () => {
      const smsc = await startSmsc();
      try {
        const api = await tenant(t);
        const channel = await createChannel(api, {
          technology: 'sms',
          origin: '+31612340003',
          provider: 'smpp',
          settings: { host: '127.0.0.1', port: smsc.port, systemId: 'hellohub', password: 'secret', timeoutMs: 2000, reconnectMinMs: 50, reconnectMaxMs: 200 },
        });
        const profile = await profileWith(api);
        let throttled = 0;
        smsc.answer = (pdu) => (submittedText(pdu) === 'refuse me' ? 0x0b : submittedText(pdu) === 'slow down' && ++throttled === 1 ? 0x58 : 0);
        const retried = await settled(api, (await send(api, { profile, body: 'slow down', origin: channel.origin })).id, ['routed', 'failed'], 15_000);
        assert.equal(retried.state, 'routed', retried.failure_reason ?? '');
        assert.equal(throttled, 2);
        const refused = await settled(api, (await send(api, { profile, body: 'refuse me', origin: channel.origin })).id);
        assert.equal(refused.state, 'failed');
        assert.match(refused.failure_reason ?? '', /ESME_RINVDSTADR/);
      } finally {
        await smsc.stop();
      }
    });
  });

  describe('http-sms (Twilio-compatible)', () => {
    test('the Messages API call, signed status callbacks, and an inbound message through the hook', async (ctx) => {
      const fake = await startFakeApi(ctx, (_request, response) => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${fake.seen.length}` })));
      const api = await tenant(t);
      const channel = await createChannel(api, { technology: 'sms', origin: '+31612340004', provider: 'http-sms', settings: { baseUrl: fake.origin, accountSid: 'AC1', authToken: 'tok', timeoutMs: 2000 } });
      const profile = await profileWith(api);
      const sent = await send(api, { profile, body: 'Hello by HTTP', origin: channel.origin, attachments: ['https://cdn.test/a.png'] });
      const routed = await settled(api, sent.id, ['routed', 'failed']);
      assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
      const form = new URLSearchParams(fake.seen[0]?.body ?? '');
      assert.equal(fake.seen[0]?.url, '/2010-04-01/Accounts/AC1/Messages.json');
      assert.deepEqual(Object.fromEntries(form), { To: PHONE, From: '+31612340004', Body: 'Hello by HTTP', StatusCallback: channel.webhook_url ?? '', MediaUrl: 'https://cdn.test/a.png' });

      const path = hookPath(channel);
      const status = await t.app.inject(twilioHook(path, { MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC1' }, 'tok'));
      assert.equal(status.statusCode, 200, status.body);
      assert.equal((await message(api, sent.id)).state, 'delivered');

      const reply = await t.app.inject(twilioHook(path, { MessageSid: 'SMin1', From: PHONE, To: '+31612340004', Body: 'Got it', NumMedia: '0' }, 'tok'));
      assert.equal(reply.statusCode, 200);
      assert.match(String(reply.headers['content-type']), /xml/);
      const incoming = (await api.get<{ messages: MessageJson[] }>(`/messages?profile=${profile}`)).body.messages[0];
      assert.deepEqual([incoming?.direction, incoming?.body, incoming?.state], ['inbound', 'Got it', 'received']);
    });

    test('a 4xx refusal fails the message with the gateway’s code; 5xx and timeouts are retried', async (ctx) => {
      let calls = 0;
      const fake = await startFakeApi(ctx, (request, response) => {
        calls += 1;
        const body = new URLSearchParams(request.body).get('Body');
        if (body === 'bad number') return response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message: "The 'To' number is not valid." }));
        if (body === 'flaky' && calls <= 2) return response.writeHead(503).end();
        if (body === 'slow' && calls <= 4) return; // never answers: the provider's time limit ends it
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${calls}` }));
      });
      const api = await tenant(t);
      const channel = await createChannel(api, { technology: 'sms', origin: '+31612340005', provider: 'http-sms', settings: { baseUrl: fake.origin, accountSid: 'AC1', authToken: 'tok', timeoutMs: 500 } });
      const profile = await profileWith(api);
      const refused = await settled(api, (await send(api, { profile, body: 'bad number', origin: channel.origin })).id);
      assert.equal(refused.state, 'failed');
      assert.match(refused.failure_reason ?? '', /21211/);
      const flaky = await settled(api, (await send(api, { profile, body: 'flaky', origin: channel.origin })).id, ['routed', 'failed']);
      assert.equal(flaky.state, 'routed', flaky.failure_reason ?? '');
      const slow = await settled(api, (await send(api, { profile, body: 'slow', origin: channel.origin })).id, ['routed', 'failed'], 15_000);
      assert.equal(slow.state, 'routed', slow.failure_reason ?? '');
    });
  });

  describe('whatsapp-cloud', () => {
    const settings = (baseUrl: string) => ({ baseUrl, phoneNumberId: '1234567', accessToken: 'token', appSecret: 'app-secret', verifyToken: 'verify-me', timeoutMs: 2000 });

    test('an inbound message opens the window, a free-form reply goes out with our id, statuses move it on', async (ctx) => {
      const fake = await startFakeApi(ctx, (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages: [{ id: `wamid.${fake.seen.length}` }] })));
      const api = await tenant(t);
      const channel = await createChannel(api, { technology: 'whatsapp', origin: '+31612340006', provider: 'whatsapp-cloud', settings: settings(fake.origin) });
      const path = hookPath(channel);
      const verified = await t.app.inject({ method: 'GET', url: `${path}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=8472` });
      assert.deepEqual([verified.statusCode, verified.body], [200, '8472']);

      const hello = await t.app.inject(
        whatsappHook(
          path,
          {
            metadata: { display_phone_number: '31612340006', phone_number_id: '1234567' },
            contacts: [{ wa_id: '31612345678', profile: { name: 'Ana Lopez' } }],
            messages: [{ id: 'wamid.in1', from: '31612345678', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Hola' } }],
          },
          'app-secret',
        ),
      );
      assert.equal(hello.statusCode, 200, hello.body);
      const incoming = (await api.get<{ messages: MessageJson[] }>('/messages')).body.messages[0];
      assert.equal(incoming?.body, 'Hola');
      const profile = incoming?.profile ?? '';
      const created = await api.profile(profile);
      assert.deepEqual([created.first_name, created.last_name, created.phones], ['Ana', 'Lopez', [PHONE]], 'a new profile from the WhatsApp name and number');

      await api.post(`/profiles/${profile}/subscribe`);
      const sent = await send(api, { profile, body: 'Hola Ana, https://acme.test' });
      assert.equal(sent.technology, 'whatsapp');
      const routed = await settled(api, sent.id, ['routed', 'failed']);
      assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
      const call = JSON.parse(fake.seen[0]?.body ?? '{}') as Record<string, unknown>;
      assert.equal(fake.seen[0]?.url, '/v21.0/1234567/messages');
      assert.equal(fake.seen[0]?.headers.authorization, 'Bearer token');
      assert.deepEqual(call, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '31612345678',
        biz_opaque_callback_data: String(t.ids.decode('message', sent.id)),
        type: 'text',
        text: { body: 'Hola Ana, https://acme.test', preview_url: true },
      });
      const statuses = (status: string) => whatsappHook(path, { metadata: { display_phone_number: '31612340006' }, statuses: [{ id: 'wamid.1', status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '31612345678' }] }, 'app-secret');
      assert.equal((await t.app.inject(statuses('delivered'))).statusCode, 200);
      assert.equal((await message(api, sent.id)).state, 'delivered');
      assert.equal((await t.app.inject(statuses('read'))).statusCode, 200);
      assert.equal((await message(api, sent.id)).state, 'delivered');
    });

    test('Meta’s re-engagement refusal (131047) fails the message at once', async (ctx) => {
      const fake = await startFakeApi(ctx, (_request, response) =>
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 131047, message: 'Re-engagement message' } })),
      );
      const api = await tenant(t);
      const channel = await createChannel(api, { technology: 'whatsapp', origin: '+31612340007', provider: 'whatsapp-cloud', settings: settings(fake.origin) });
      const profile = await profileWith(api);
      const path = hookPath(channel);
      await t.app.inject(whatsappHook(path, { metadata: { display_phone_number: '31612340007' }, messages: [{ id: 'wamid.x', from: '31612345678', type: 'text', text: { body: 'hi' } }] }, 'app-secret'));
      const failed = await settled(api, (await send(api, { profile, body: 'late reply', technology: 'whatsapp' })).id);
      assert.equal(failed.state, 'failed');
      assert.match(failed.failure_reason ?? '', /131047|24 hours/);
      assert.equal(fake.seen.length, 1, 'not retried');
    });
  });
});
