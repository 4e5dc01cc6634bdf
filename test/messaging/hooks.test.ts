import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeApi } from '../../src/channels/testing.js';
import { messageJobHandlers } from '../../src/core/messaging/messages.job.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { twilioHook, whatsappHook } from './messages-peers.js';
import { createChannel, message, messagingApp, send, tenant, type Api, type ChannelJson, type MessageJson, type MessagingApp } from './messages-support.js';

const PHONE = '+31612345678';
const hookPath = (channel: ChannelJson) => new URL(channel.webhook_url ?? '').pathname;

/**
 * `/hooks/<provider>/<channel id>`: verification, deduplication and receipts applied so a state
 * never goes back. No worker runs here: each test runs the send job itself when it needs one.
 */
describe('provider hooks', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ clock: systemClock, ownDatabase: true });
  });
  after(() => t.close());

  /** Runs the message's send job now, as a worker would. */
  async function runSend(api: Api, sent: MessageJson): Promise<MessageJson> {
    const id = t.ids.decode('message', sent.id) ?? 0;
    await messageJobHandlers(t.core)['message.send']?.({ id: 0, kind: 'message.send', businessId: api.businessId, attempt: 1, payload: { message: id, maxAttempts: 3 } });
    await t.core.db.deleteFrom('jobs').where('kind', '=', 'message.send').where('payload', 'like', `{"message":${id},%`).execute();
    return message(api, sent.id);
  }

  async function twilioChannel(api: Api, origin = '+31612340001'): Promise<ChannelJson> {
    return createChannel(api, { technology: 'sms', origin, provider: 'http-sms', settings: { baseUrl: 'http://127.0.0.1:9', accountSid: 'AC1', authToken: 'tok' } });
  }

  test('unknown hooks are 404 alike: provider, channel, a channel of another provider, dev-inbox', async () => {
    const api = await tenant(t);
    const twilio = await twilioChannel(api);
    const id = t.ids.decode('channel', twilio.id);
    const [devInbox] = (await api.get<{ channels: ChannelJson[] }>('/channels?technology=sms')).body.channels.filter((c) => c.provider === 'dev-inbox');
    for (const url of [`/hooks/fax/${id}`, '/hooks/http-sms/999999999', '/hooks/http-sms/zz-zzzzz', `/hooks/whatsapp-cloud/${id}`, `/hooks/dev-inbox/${t.ids.decode('channel', devInbox?.id ?? '')}`]) {
      const res = await t.app.inject({ method: 'POST', url, payload: 'x', headers: { 'content-type': 'text/plain' } });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.body, 'no such hook');
    }
  });

  test('http-sms hooks need a valid X-Twilio-Signature over the public URL and the parameters', async () => {
    const api = await tenant(t);
    const path = hookPath(await twilioChannel(api));
    const params = { MessageSid: 'SMin1', From: PHONE, To: '+31612340001', Body: 'hi' };
    const unsigned = await t.app.inject({ method: 'POST', url: path, payload: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(unsigned.statusCode, 401);
    assert.equal((await t.app.inject(twilioHook(path, params, 'wrong-token'))).statusCode, 403);
    const tampered = twilioHook(path, params, 'tok');
    assert.equal((await t.app.inject({ ...tampered, payload: `${String(tampered.payload)}&Extra=1` })).statusCode, 403);
    assert.equal((await t.app.inject(twilioHook(path, params, 'tok', 'http://evil.test'))).statusCode, 403, 'signed for another URL');
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 405);
    assert.deepEqual((await api.get<{ messages: unknown[] }>('/messages')).body.messages, [], 'nothing stored from a refused hook');
  });

  test('whatsapp-cloud hooks: verification with the verify token, X-Hub-Signature-256 on every POST', async () => {
    const api = await tenant(t);
    const channel = await createChannel(api, {
      technology: 'whatsapp',
      origin: '+31612340002',
      provider: 'whatsapp-cloud',
      settings: { baseUrl: 'http://127.0.0.1:9', phoneNumberId: '1234567', accessToken: 'a', appSecret: 'secret', verifyToken: 'verify-me' },
    });
    const path = hookPath(channel);
    assert.equal((await t.app.inject({ method: 'GET', url: `${path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1` })).statusCode, 403);
    const value = { metadata: { display_phone_number: '31612340002' }, messages: [{ id: 'wamid.in', from: '31612345678', type: 'text', text: { body: 'hi' } }] };
    const signed = whatsappHook(path, value, 'secret');
    assert.equal((await t.app.inject({ ...signed, headers: { 'content-type': 'application/json' } })).statusCode, 401);
    assert.equal((await t.app.inject(whatsappHook(path, value, 'other-secret'))).statusCode, 403);
    // The signature covers the bytes as sent: re-serialised JSON would not match.
    assert.equal((await t.app.inject({ ...signed, payload: JSON.stringify(JSON.parse(String(signed.payload)), null, 1) })).statusCode, 403);
    assert.equal((await t.app.inject(signed)).statusCode, 200);
    const [stored] = (await api.get<{ messages: MessageJson[] }>('/messages')).body.messages;
    assert.deepEqual([stored?.direction, stored?.body, stored?.origin], ['inbound', 'hi', PHONE]);
  });

  test('a customer’s message delivered twice is stored and answered once', async () => {
    const api = await tenant(t);
    const path = hookPath(await twilioChannel(api));
    const stop = { MessageSid: 'SMdup', From: PHONE, To: '+31612340001', Body: 'STOP' };
    for (let i = 0; i < 3; i += 1) assert.equal((await t.app.inject(twilioHook(path, stop, 'tok'))).statusCode, 200);
    const messages = (await api.get<{ messages: MessageJson[] }>('/messages')).body.messages;
    assert.deepEqual(
      messages.map((m) => [m.direction, m.body]),
      [
        ['outbound', 'You are unsubscribed and will get no more messages. Reply START to subscribe again.'],
        ['inbound', 'STOP'],
      ],
      'one stored message, one confirmation',
    );
    // The same provider id on another channel is another message.
    const other = hookPath(await twilioChannel(api, '+31612340003'));
    assert.equal((await t.app.inject(twilioHook(other, { ...stop, To: '+31612340003', Body: 'hello' }, 'tok'))).statusCode, 200);
    assert.equal((await api.get<{ messages: MessageJson[] }>('/messages')).body.messages.filter((m) => m.direction === 'inbound').length, 2);
  });

  test('receipts never move a state back; repeats change nothing; each change is one webhook', async (ctx) => {
    let sid = 0;
    const fake = await startFakeApi(ctx, (_request, response) => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${++sid}` })));
    const api = await tenant(t);
    await api.post('/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.state_changed'] });
    const channel = await createChannel(api, { technology: 'sms', origin: '+31612340004', provider: 'http-sms', settings: { baseUrl: fake.origin, accountSid: 'AC1', authToken: 'tok' } });
    const path = hookPath(channel);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const status = (MessageSid: string, MessageStatus: string, extra: Record<string, string> = {}) => t.app.inject(twilioHook(path, { MessageSid, MessageStatus, ...extra }, 'tok'));

    const first = await runSend(api, await send(api, { profile, body: 'one', origin: channel.origin }));
    assert.equal(first.state, 'routed');
    await status('SM1', 'delivered');
    await status('SM1', 'sent');
    await status('SM1', 'undelivered', { ErrorCode: '30003' });
    await status('SM1', 'delivered');
    const one = await message(api, first.id);
    assert.equal(one.state, 'delivered', 'delivered stays delivered');
    assert.equal(one.failed_at, null);

    const second = await runSend(api, await send(api, { profile, body: 'two', origin: channel.origin }));
    await status('SM2', 'failed', { ErrorCode: '30008', ErrorMessage: 'Unknown error' });
    const failed = await message(api, second.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.failure_reason ?? '', /30008/);
    await status('SM2', 'delivered');
    const late = await message(api, second.id);
    assert.equal(late.state, 'delivered', 'a late delivered receipt wins over failed');
    assert.equal(late.failure_reason, null);

    const events = await t.core.db.selectFrom('webhook_deliveries').select('payload').where('business_id', '=', api.businessId).orderBy('id').execute();
    assert.deepEqual(
      events.map((e) => {
        const payload = JSON.parse(e.payload) as { previous_state: string; message: { body: string; state: string } };
        return `${payload.message.body}:${payload.previous_state}>${payload.message.state}`;
      }),
      ['one:pending>routed', 'one:routed>delivered', 'two:pending>routed', 'two:routed>failed', 'two:failed>delivered'],
    );
  });

  test('a receipt that echoes our id finds its message even when the provider id was never recorded', async () => {
    const api = await tenant(t);
    const channel = await createChannel(api, {
      technology: 'whatsapp',
      origin: '+31612340005',
      provider: 'whatsapp-cloud',
      settings: { baseUrl: 'http://127.0.0.1:9', phoneNumberId: '1234567', accessToken: 'a', appSecret: 'secret', verifyToken: 'v' },
    });
    const path = hookPath(channel);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    await t.app.inject(whatsappHook(path, { metadata: { display_phone_number: '31612340005' }, messages: [{ id: 'wamid.open', from: '31612345678', type: 'text', text: { body: 'hi' } }] }, 'secret'));
    // As if the worker died after Meta took the message: pending, no provider id.
    const sent = await send(api, { profile, body: 'reply', technology: 'whatsapp' });
    const ourId = String(t.ids.decode('message', sent.id));
    const res = await t.app.inject(whatsappHook(path, { statuses: [{ id: 'wamid.lost', status: 'delivered', biz_opaque_callback_data: ourId, recipient_id: '31612345678' }] }, 'secret'));
    assert.equal(res.statusCode, 200);
    const delivered = await message(api, sent.id);
    assert.equal(delivered.state, 'delivered');
    assert.ok(delivered.routed_at);
    const row = await t.core.db.selectFrom('messages').select('provider_id').where('id', '=', Number(ourId)).executeTakeFirstOrThrow();
    assert.equal(row.provider_id, 'wamid.lost');
    // The job that runs after the crash finds the message sent: it does not send it again.
    assert.equal((await runSend(api, sent)).state, 'delivered');
  });

  test('a receipt of another business’s message, or of no message, changes nothing', async () => {
    const owner = await tenant(t);
    const stranger = await tenant(t);
    const ownerChannel = await createChannel(owner, { technology: 'sms', origin: '+31612340006', provider: 'dev-inbox' });
    const profile = await owner.createProfile({ phone: PHONE, subscribe: true });
    const sent = await runSend(owner, await send(owner, { profile, body: 'mine', origin: ownerChannel.origin }));
    assert.equal(sent.state, 'delivered');
    const strangerPath = hookPath(await twilioChannel(stranger, '+31612340006'));
    const providerId = `dev-inbox:${t.ids.decode('message', sent.id)}`;
    const started = Date.now();
    const res = await t.app.inject(twilioHook(strangerPath, { MessageSid: providerId, MessageStatus: 'failed' }, 'tok'));
    assert.equal(res.statusCode, 200, 'acknowledged, so the peer stops redelivering');
    assert.ok(Date.now() - started >= 900, 'after waiting a moment for the id to be recorded');
    assert.equal((await message(owner, sent.id)).state, 'delivered');
  });
});
