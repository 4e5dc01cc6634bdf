import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  channelsOf,
  createChannel,
  devInbox,
  ENCODINGS,
  inbound,
  messagingApp,
  send,
  settled,
  tenant,
  until,
  type Api,
  type MessageJson,
  type MessagingApp,
} from './messages-support.js';

const PHONE = '+31612345678';

async function smsChannel(api: Api): Promise<string> {
  const [sms] = await channelsOf(api, 'sms');
  assert.ok(sms);
  return sms.id;
}

/** GET /v1/dev/inbox and POST /v1/dev/inbox/inbound, with STOP/START answered offline. */
describe('dev inbox', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ ownDatabase: true });
    t.startWorker();
  });
  after(() => t.close());

  test('lists what dev-inbox sent, newest first, by page and destination; another business sees none of it', async () => {
    const api = await tenant(t);
    const ana = await api.createProfile({ phone: PHONE, subscribe: true });
    const bob = await api.createProfile({ phone: '+31612345679', subscribe: true });
    const ids: string[] = [];
    for (const [profile, body] of [[ana, 'one'], [bob, 'two'], [ana, 'three']] as const) ids.push((await send(api, { profile, body })).id);
    for (const id of ids) await settled(api, id);
    const all = await devInbox(api);
    assert.deepEqual(all.map((entry) => [entry.id, entry.sent?.body, entry.message.state]), [
      [ids[2], 'three', 'delivered'],
      [ids[1], 'two', 'delivered'],
      [ids[0], 'one', 'delivered'],
    ]);
    assert.deepEqual((await devInbox(api, `?limit=1&starting_after=${ids[2]}`)).map((entry) => entry.id), [ids[1]]);
    assert.deepEqual((await devInbox(api, `?destination=${encodeURIComponent(PHONE)}`)).map((entry) => entry.id), [ids[2], ids[0]]);
    assert.equal(all[0]?.sent?.headers.length, 0, 'headers are for email');
    assertError(await api.get('/dev/inbox?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
    const stranger = await tenant(t);
    assert.deepEqual(await devInbox(stranger), []);
  });

  test('a simulated message takes the webhook path: stored received, its sender found or created, the inbox moved', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const channel = await smsChannel(api);
      const known = await api.createProfile({ phone: PHONE, first_name: 'Ana' });
      const first = await inbound(api, { channel, from: '06 12345678', body: 'Hello there' });
      assert.equal(first.state, 'received');
      assert.equal(first.direction, 'inbound');
      assert.equal(first.profile, known, 'a local number is read in the business country and found');
      assert.equal(first.origin, PHONE);
      assert.equal(first.destination, 'DevInbox');
      assert.equal(first.received_at, first.created_at);
      assert.equal(first.channel, channel);

      const stranger = await inbound(api, { channel, from: '+31687654321', body: 'Who is this?' });
      assert.notEqual(stranger.profile, known);
      const created = await api.profile(stranger.profile ?? '');
      assert.deepEqual(created.phones, ['+31687654321'], 'an unknown sender becomes a profile with its number');
      assert.equal(created.state, 'unconfirmed');

      const conversations = await api.get<{ conversations: Array<{ profile: string; last_message: { body: string } | null }> }>('/conversations');
      assert.equal(conversations.status, 200, conversations.text);
      assert.deepEqual(conversations.body.conversations.slice(0, 2).map((c) => [c.profile, c.last_message?.body]), [
        [stranger.profile, 'Who is this?'],
        [known, 'Hello there'],
      ]);
      const listed = await api.get<{ messages: MessageJson[] }>(`/messages?profile=${known}`);
      assert.deepEqual(listed.body.messages.map((m) => m.id), [first.id]);
      assert.deepEqual(await devInbox(api), [], 'the dev inbox lists what was sent, not what came in');
    }
  });

  test('refusals of a simulated message', async () => {
    const api = await tenant(t);
    const channel = await smsChannel(api);
    const real = await createChannel(api, { technology: 'sms', origin: '+31612340001', provider: 'http-sms', settings: { accountSid: 'AC1', authToken: 'x' } });
    assertError(await api.post('/dev/inbox/inbound', { from: PHONE, body: 'hi' }), 400, 'parameter_missing', 'channel');
    assertError(await api.post('/dev/inbox/inbound', { channel: 'zz-zzzzz', from: PHONE, body: 'hi' }), 404, 'not_found', 'channel');
    assertError(await api.post('/dev/inbox/inbound', { channel: real.id, from: PHONE, body: 'hi' }), 422, 'invalid', 'channel');
    assertError(await api.post('/dev/inbox/inbound', { channel, body: 'hi' }), 400, 'parameter_missing', 'from');
    assertError(await api.post('/dev/inbox/inbound', { channel, from: 'not a number', body: 'hi' }), 422, 'invalid', 'from');
    assertError(await api.post('/dev/inbox/inbound', { channel, from: PHONE }), 400, 'parameter_missing', 'body');
    const stranger = await tenant(t);
    assertError(await stranger.post('/dev/inbox/inbound', { channel, from: PHONE, body: 'hi' }), 404, 'not_found', 'channel');
  });

  test('STOP unsubscribes and START subscribes again, each answered on the channel it came in on', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const channel = await smsChannel(api);
      const profile = await api.createProfile({ phone: PHONE, subscribe: true });
      await inbound(api, { channel, from: PHONE, body: '  stop! ' });
      assert.equal((await api.profile(profile)).state, 'unsubscribed');
      await until(async () => (await devInbox(api)).length === 1, 5000, 'the confirmation');
      const [confirmation] = await devInbox(api);
      assert.equal(confirmation?.sent?.body, 'You are unsubscribed and will get no more messages. Reply START to subscribe again.');
      assert.equal(confirmation?.message.destination, PHONE);
      assert.equal(confirmation?.message.transactional, true);
      assertError(await api.post('/messages', { profile, body: 'promo', technology: 'sms' }), 422, 'not_allowed', 'profile');

      for (const body of ['Baja.', 'UNSUBSCRIBE']) {
        await inbound(api, { channel, from: PHONE, body });
        assert.equal((await api.profile(profile)).state, 'unsubscribed');
      }
      await inbound(api, { channel, from: PHONE, body: 'Start' });
      assert.equal((await api.profile(profile)).state, 'subscribed');
      await until(async () => (await devInbox(api)).length === 4, 5000, 'every confirmation');
      assert.equal((await devInbox(api))[0]?.sent?.body, 'You are subscribed again. Reply STOP to unsubscribe.');

      await inbound(api, { channel, from: PHONE, body: 'please stop sending me offers' });
      assert.equal((await api.profile(profile)).state, 'subscribed', 'a keyword is the whole message');
    }
  });

  test('a blocked profile is unsubscribed by STOP but gets no answer', async () => {
    const api = await tenant(t);
    const channel = await smsChannel(api);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    await api.post(`/profiles/${profile}/block`);
    const stop = await inbound(api, { channel, from: PHONE, body: 'STOP' });
    assert.equal(stop.profile, profile);
    assert.equal((await api.profile(profile)).state, 'unsubscribed');
    assert.deepEqual(await devInbox(api), []);
    assert.deepEqual((await api.get<{ messages: MessageJson[] }>('/messages')).body.messages.map((m) => m.direction), ['inbound']);
  });

  test('WhatsApp and Instagram windows and conversations open offline through dev-inbox channels', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const whatsapp = await createChannel(api, { technology: 'whatsapp', origin: '+31612340002', provider: 'dev-inbox' });
    assert.equal((await send(api, { profile, body: 'before' })).technology, 'sms');
    await inbound(api, { channel: whatsapp.id, from: '31612345678', body: 'hola' });
    const reply = await send(api, { profile, body: 'after' });
    assert.equal(reply.technology, 'whatsapp');
    assert.equal((await settled(api, reply.id)).state, 'delivered');
  });

  test('outbound webhooks hear about arrivals and state changes', async () => {
    const api = await tenant(t);
    const hook = await api.post<{ id: string }>('/webhooks', { url: 'http://127.0.0.1:9/hook' });
    assert.equal(hook.status, 201, hook.text);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const sent = await send(api, { profile, body: 'hello' });
    await settled(api, sent.id);
    await inbound(api, { channel: await smsChannel(api), from: PHONE, body: 'hi back' });
    const deliveries = await t.core.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('business_id', '=', api.businessId).orderBy('id').execute();
    const payloads = deliveries.map((d) => JSON.parse(d.payload) as { previous_state?: string; message: { id: string; profile: string; channel: string; state: string; body: string } });
    const events = payloads.map((payload, index) => [deliveries[index]?.event, payload.previous_state ?? null, payload.message.state, payload.message.body]);
    assert.deepEqual(events, [
      ['message.state_changed', 'pending', 'routed', 'hello'],
      ['message.state_changed', 'routed', 'delivered', 'hello'],
      ['message.received', null, 'received', 'hi back'],
    ]);
    // The ids a receiver gets are the API's: it can look the message up by them.
    assert.equal(payloads[0]?.message.id, sent.id);
    assert.equal(payloads[0]?.message.profile, profile);
    const received = payloads[2]?.message;
    assert.equal((await api.get<MessageJson>(`/messages/${received?.id ?? ''}`)).body.body, 'hi back');
    assert.equal(received?.channel, await smsChannel(api));
  });
});

describe('opt-out keywords are configurable', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ ownDatabase: true, config: { OPT_OUT_KEYWORDS: 'ALTO, Parar', OPT_IN_KEYWORDS: 'VOLVER', OPT_OUT_REPLY: 'Adiós.', OPT_IN_REPLY: 'Hola de nuevo.' } });
    t.startWorker();
  });
  after(() => t.close());

  test('the configured words, and only them, (un)subscribe; the configured replies answer', async () => {
    const api = await tenant(t);
    const channel = await smsChannel(api);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    await inbound(api, { channel, from: PHONE, body: 'STOP' });
    assert.equal((await api.profile(profile)).state, 'subscribed', 'STOP is no keyword here');
    await inbound(api, { channel, from: PHONE, body: 'parar' });
    assert.equal((await api.profile(profile)).state, 'unsubscribed');
    await inbound(api, { channel, from: PHONE, body: 'Volver' });
    assert.equal((await api.profile(profile)).state, 'subscribed');
    await until(async () => (await devInbox(api)).length === 2, 5000, 'both replies');
    assert.deepEqual((await devInbox(api)).map((entry) => entry.sent?.body), ['Hola de nuevo.', 'Adiós.']);
  });

  test('the README’s configuration table lists the keyword variables', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of ['OPT_OUT_KEYWORDS', 'OPT_IN_KEYWORDS', 'OPT_OUT_REPLY', 'OPT_IN_REPLY']) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), name);
  });
});
