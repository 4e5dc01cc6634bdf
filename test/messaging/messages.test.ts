import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  createChannel,
  devInbox,
  ENCODINGS,
  inbound,
  message,
  MESSAGE_EXTENSION_KEYS,
  MESSAGE_KEYS,
  messagingApp,
  send,
  settled,
  sortedKeys,
  tenant,
  TestClock,
  type Api,
  type MessageJson,
  type MessagingApp,
} from './messages-support.js';

/** POST /v1/messages, GET /v1/messages[/:id]: sending through dev-inbox channels, and every rule of the reference. */
describe('messages', () => {
  const clock = new TestClock();
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ clock, ownDatabase: true });
    t.startWorker();
  });
  after(() => t.close());

  const PHONE = '+31612345678';

  /** A template row as the templates API leaves an approved one. */
  async function template(api: Api, fields: { name?: string; technology?: 'any' | 'sms' | 'whatsapp'; body: string; state?: 'approved' | 'pending'; targetsWhatsapp?: boolean }): Promise<string> {
    const now = clock.seconds;
    const row = await t.core.db
      .insertInto('templates')
      .values({
        business_id: api.businessId,
        name: fields.name ?? `template ${Math.random()}`,
        technology: fields.technology ?? 'any',
        body: fields.body,
        header: null,
        footer: null,
        buttons: '[]',
        language: 'es',
        category: null,
        state: fields.state ?? 'approved',
        state_reason: null,
        targets_whatsapp: fields.targetsWhatsapp === false ? 0 : 1,
        provider_template_id: null,
        edited_at: null,
        approved_at: now,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return t.ids.encode('template', row.id);
  }

  test('a free-form SMS: accepted pending in the documented shape, sent by the job, delivered by dev-inbox', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ phone: PHONE, subscribe: true });
      const created = await api.post<MessageJson>('/messages', { profile, body: 'To be or not to be, that is the question.' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(sortedKeys(created.body), [...MESSAGE_KEYS, ...MESSAGE_EXTENSION_KEYS].sort());
      const { id, channel, created_at } = created.body;
      assert.deepEqual(created.body, {
        id,
        type: 'message',
        attachments: [],
        body: 'To be or not to be, that is the question.',
        created_at,
        delivered_at: null,
        destination: PHONE,
        failed_at: null,
        origin: 'DevInbox',
        profile,
        received_at: null,
        routed_at: null,
        state: 'pending',
        technology: 'sms',
        template: null,
        direction: 'outbound',
        channel,
        failure_reason: null,
        transactional: false,
        subject: null,
        html: null,
      });
      assert.equal(created_at, clock.seconds);
      const delivered = await settled(api, id);
      assert.deepEqual(delivered, { ...created.body, state: 'delivered', routed_at: clock.seconds, delivered_at: clock.seconds });
      const [entry] = await devInbox(api);
      assert.equal(entry?.id, id);
      assert.deepEqual(entry?.message, delivered);
      assert.equal(entry?.sent?.body, 'To be or not to be, that is the question.');
      assert.equal(entry?.sent?.to, PHONE);
      assert.equal(entry?.sent?.from, 'DevInbox');
    }
  });

  test('retrieve and list: newest first, keyset pages, filters; unknown and forged ids are 404', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const other = await api.createProfile({ phone: '+31612345679', subscribe: true });
    const sent: string[] = [];
    for (let i = 0; i < 4; i += 1) sent.push((await send(api, { profile: i === 3 ? other : profile, body: `Hello ${i}` })).id);
    const all = await api.get<{ messages: MessageJson[] }>('/messages');
    assert.deepEqual(all.body.messages.map((m) => m.id), [...sent].reverse());
    const page = await api.get<{ messages: MessageJson[] }>(`/messages?limit=2&starting_after=${sent[3]}`);
    assert.deepEqual(page.body.messages.map((m) => m.id), [sent[2], sent[1]]);
    const newer = await api.get<{ messages: MessageJson[] }>(`/messages?limit=1&ending_before=${sent[0]}`);
    assert.deepEqual(newer.body.messages.map((m) => m.id), [sent[1]]);
    const mine = await api.get<{ messages: MessageJson[] }>(`/messages?profile=${other}`);
    assert.deepEqual(mine.body.messages.map((m) => m.id), [sent[3]]);
    assertError(await api.get('/messages?profile=zz-zzzzz'), 404, 'not_found', 'profile');
    assertError(await api.get('/messages?state=lost'), 422, 'invalid', 'state');
    assertError(await api.get('/messages?limit=x'), 422, 'invalid', 'limit');
    assertError(await api.get('/messages?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
    for (const id of sent) await settled(api, id);
    const delivered = await api.get<{ messages: MessageJson[] }>('/messages?state=delivered&technology=sms');
    assert.equal(delivered.body.messages.length, 4);
    assertError(await api.get('/messages/zz-zzzzz'), 404, 'not_found');

    const stranger = await tenant(t);
    assertError(await stranger.get(`/messages/${sent[0]}`), 404, 'not_found');
    assert.deepEqual((await stranger.get<{ messages: MessageJson[] }>('/messages')).body.messages, []);
    assertError(await stranger.post('/messages', { profile, body: 'hi' }), 404, 'not_found', 'profile');
    assertError(await stranger.get(`/messages?profile=${profile}`), 404, 'not_found', 'profile');
  });

  test('the documented refusals of a send', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ phone: PHONE, subscribe: true });
      const bare = await api.createProfile({ first_name: 'No contact' });
      assertError(await api.post('/messages', { body: 'hi' }), 400, 'parameter_missing', 'profile');
      assertError(await api.post('/messages', { profile: 'zz-zzzzz', body: 'hi' }), 404, 'not_found', 'profile');
      assertError(await api.post('/messages', { profile }), 400, 'parameter_missing', 'body');
      assertError(await api.post('/messages', { profile, body: '  ' }), 422, 'parameter_invalid_empty', 'body');
      assertError(await api.post('/messages', { profile, body: 'hi', technology: 'pager' }), 422, 'invalid', 'technology');
      // The reference: a technology the business has no integration for is invalid.
      for (const technology of ['whatsapp', 'instagram', 'mercadolibre']) assertError(await api.post('/messages', { profile, body: 'hi', technology }), 422, 'invalid', 'technology');
      assertError(await api.post('/messages', { profile, body: 'hi', origin: '+15550001111' }), 422, 'invalid', 'origin');
      assertError(await api.post('/messages', { profile: bare, body: 'hi' }), 422, 'invalid', 'profile');
      assertError(await api.post('/messages', { profile: bare, body: 'hi', technology: 'sms' }), 422, 'invalid', 'destination');
      assertError(await api.post('/messages', { profile, body: 'hi', destination: '+31687654321' }), 422, 'invalid', 'destination');
      assertError(await api.post('/messages', { profile, body: 'hi', technology: 'sms', destination: 'not a number' }), 422, 'invalid', 'destination');
      assertError(await api.post('/messages', { profile, template: 'zz-zzzzz' }), 404, 'not_found', 'template');
      assertError(await api.post('/messages', { profile, body: 'hi', subject: 'SMS has none' }), 422, 'invalid', 'subject');
      assertError(await api.post('/messages', { profile, body: 'hi', transactional: 'perhaps' }), 422, 'invalid', 'transactional');
      assert.deepEqual((await api.get<{ messages: unknown[] }>('/messages')).body.messages, [], 'nothing was written by a refused send');
    }
  });

  test('length limits: SMS 160, WhatsApp 4096, Instagram 1000, MercadoLibre 350 characters', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    await createChannel(api, { technology: 'whatsapp', origin: '+31612340001', provider: 'dev-inbox' });
    const instagram = await createChannel(api, { technology: 'instagram', origin: 'acme', provider: 'dev-inbox' });
    const mercadolibre = await createChannel(api, { technology: 'mercadolibre', origin: 'acme-shop', provider: 'dev-inbox' });
    await inbound(api, { channel: (await createChannel(api, { technology: 'whatsapp', origin: '+31612340002', provider: 'dev-inbox' })).id, from: PHONE, body: 'hello' });
    const gram = (await inbound(api, { channel: instagram.id, from: 'ana.ig', body: 'hi' })).profile ?? '';
    const buyer = (await inbound(api, { channel: mercadolibre.id, from: 'buyer123', body: 'hi' })).profile ?? '';
    // An emoji is one character, as people count them.
    assert.equal((await send(api, { profile, technology: 'sms', body: `${'x'.repeat(159)}😀` })).body.length, 161);
    assertError(await api.post('/messages', { profile, technology: 'sms', body: 'x'.repeat(161) }), 422, 'invalid', 'body');
    await send(api, { profile, technology: 'whatsapp', body: 'x'.repeat(4096) });
    assertError(await api.post('/messages', { profile, technology: 'whatsapp', body: 'x'.repeat(4097) }), 422, 'invalid', 'body');
    await send(api, { profile: gram, technology: 'instagram', body: 'x'.repeat(1000) });
    assertError(await api.post('/messages', { profile: gram, technology: 'instagram', body: 'x'.repeat(1001) }), 422, 'invalid', 'body');
    await send(api, { profile: buyer, technology: 'mercadolibre', body: 'x'.repeat(350) });
    assertError(await api.post('/messages', { profile: buyer, technology: 'mercadolibre', body: 'x'.repeat(351) }), 422, 'invalid', 'body');
    // A template is measured as rendered.
    const long = await template(api, { technology: 'sms', body: `{name} ${'y'.repeat(150)}` });
    const named = await api.createProfile({ phone: '+31612345670', first_name: 'Bartholomew', subscribe: true });
    assertError(await api.post('/messages', { profile: named, template: long }), 422, 'invalid', 'template');
    assert.equal((await send(api, { profile, template: long })).body.length, 151, 'no name: the tag renders empty');
  });

  test('priority WhatsApp, Instagram, SMS; free-form WhatsApp only inside the 24-hour window a WhatsApp message opens', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const whatsapp = await createChannel(api, { technology: 'whatsapp', origin: '+31612340001', provider: 'dev-inbox' });
    assert.equal((await send(api, { profile, body: 'window closed' })).technology, 'sms', 'a free-form body skips WhatsApp while the window is closed');
    assertError(await api.post('/messages', { profile, body: 'hi', technology: 'whatsapp' }), 422, 'not_allowed', 'body');

    const greeting = await template(api, { name: 'greeting', technology: 'whatsapp', body: 'Hola {name}, te esperamos.' });
    const byTemplate = await send(api, { profile, template: greeting });
    assert.equal(byTemplate.technology, 'whatsapp', 'a template goes through WhatsApp outside the window');
    assert.equal(byTemplate.body, 'Hola , te esperamos.');
    await settled(api, byTemplate.id);
    const [sentTemplate] = await devInbox(api);
    assert.equal(sentTemplate?.id, byTemplate.id);
    assert.deepEqual(sentTemplate?.sent?.template, { name: 'greeting', language: 'es', components: [{ type: 'body', parameters: [{ type: 'text', text: '' }] }] }, 'WhatsApp gets the template by name, the tags as parameters');

    const wrote = await inbound(api, { channel: whatsapp.id, from: PHONE, body: 'Hi there' });
    assert.equal(wrote.state, 'received');
    assert.equal(wrote.profile, profile, 'the sender is found by phone');
    clock.tick(23 * 3600);
    const inside = await send(api, { profile, body: 'free-form inside the window' });
    assert.equal(inside.technology, 'whatsapp');
    assert.equal(inside.origin, '+31612340001');
    assert.equal((await send(api, { profile, body: 'explicit', technology: 'whatsapp' })).technology, 'whatsapp');
    assert.equal((await send(api, { profile, body: 'by origin', origin: 'DevInbox' })).technology, 'sms', 'an origin picks its channel');
    clock.tick(3600);
    assert.equal((await send(api, { profile, body: 'closed again' })).technology, 'sms', 'the window closes 24 hours after the last message');
    assertError(await api.post('/messages', { profile, body: 'hi', technology: 'whatsapp' }), 422, 'not_allowed', 'body');
    await inbound(api, { channel: whatsapp.id, from: PHONE, body: 'again' });
    assert.equal((await send(api, { profile, body: 'refreshed' })).technology, 'whatsapp', 'a new message refreshes the window');

    // Instagram comes before SMS for a profile reachable there.
    const instagram = await createChannel(api, { technology: 'instagram', origin: 'acme', provider: 'dev-inbox' });
    const gram = (await inbound(api, { channel: instagram.id, from: '@Ana.IG', body: 'hi' })).profile ?? '';
    clock.tick(25 * 3600);
    assert.equal((await send(api, { profile: gram, body: 'by instagram' })).technology, 'instagram');
    assert.equal((await send(api, { profile: gram, body: 'by instagram' })).destination, 'ana.ig');

    // An SMS template never goes by WhatsApp, nor a WhatsApp one by SMS; pending ones not at all.
    const smsOnly = await template(api, { technology: 'sms', body: 'SMS only' });
    assert.equal((await send(api, { profile, template: smsOnly })).technology, 'sms');
    assertError(await api.post('/messages', { profile, template: smsOnly, technology: 'whatsapp' }), 422, 'invalid', 'template');
    assertError(await api.post('/messages', { profile, template: greeting, technology: 'sms' }), 422, 'invalid', 'template');
    const pending = await template(api, { technology: 'whatsapp', body: 'pending', state: 'pending' });
    assertError(await api.post('/messages', { profile, template: pending }), 422, 'invalid', 'template');
  });

  test('consent: promotional messages need a subscribed, unblocked profile and an unsuppressed address; replies and transactional ones bypass subscription only', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    await api.post(`/profiles/${profile}/unsubscribe`);
    assertError(await api.post('/messages', { profile, body: 'promo' }), 422, 'not_allowed', 'profile');
    const transactional = await send(api, { profile, body: 'Your order shipped', transactional: true });
    assert.equal(transactional.transactional, true);

    // A reply inside an open conversation: the profile wrote in within 24 hours.
    await inbound(api, { channel: (await createChannel(api, { technology: 'sms', origin: '+31612340009', provider: 'dev-inbox' })).id, from: PHONE, body: 'Is my order late?' });
    const reply = await send(api, { profile, body: 'It is on its way' });
    assert.equal(reply.transactional, false);
    clock.tick(24 * 3600 + 1);
    assertError(await api.post('/messages', { profile, body: 'promo' }), 422, 'not_allowed', 'profile');

    // A block or a suppression stops everything.
    await api.post(`/profiles/${profile}/subscribe`);
    await send(api, { profile, body: 'subscribed again' });
    const suppressed = await api.post('/suppressions', { address: PHONE });
    assert.equal(suppressed.status, 201, suppressed.text);
    assertError(await api.post('/messages', { profile, body: 'promo' }), 422, 'not_allowed', 'profile');
    assertError(await api.post('/messages', { profile, body: 'receipt', transactional: true }), 422, 'not_allowed', 'profile');
    await api.delete(`/suppressions/${encodeURIComponent(PHONE)}`);
    await api.post(`/profiles/${profile}/block`);
    assertError(await api.post('/messages', { profile, body: 'receipt', transactional: true }), 422, 'not_allowed', 'profile');
  });

  test('templates: property tags and static and dynamic short links rendered at accept time, links tied to the message', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ phone: PHONE, first_name: 'Ana', subscribe: true });
      const reminder = await template(api, { technology: 'sms', body: 'Hi {Name}: {shortlink:https://shop.test/a} or {shortlink:reschedule}' });
      assertError(await api.post('/messages', { profile, template: reminder }), 422, 'invalid', 'template[shortlinks][reschedule]');
      assertError(await api.post('/messages', { profile, template: { id: reminder, shortlinks: { reschedule: 'not a url' } } }), 422, 'invalid');
      assertError(await api.post('/messages', { profile, template: { shortlinks: {} } }), 400, 'parameter_missing', 'template[id]');
      const sent = await send(api, { profile, template: { id: reminder, shortlinks: { reschedule: 'https://shop.test/r?x=1' } }, body: 'ignored' });
      assert.equal(sent.template, reminder);
      const match = /^Hi Ana: (\S+) or (\S+)$/.exec(sent.body);
      assert.ok(match, sent.body);
      const codes = [match[1], match[2]].map((url) => {
        assert.match(url ?? '', /^http:\/\/localhost:8080\/s\/[A-Za-z0-9]{10}$/);
        return (url ?? '').split('/').at(-1) ?? '';
      });
      const links = await t.core.db.selectFrom('short_links').select(['code', 'destination', 'message_id', 'profile_id']).where('code', 'in', codes).orderBy('id').execute();
      assert.deepEqual(
        links.map((link) => [link.destination, link.message_id, link.profile_id]),
        [
          ['https://shop.test/a', t.ids.decode('message', sent.id), t.ids.decode('profile', profile)],
          ['https://shop.test/r?x=1', t.ids.decode('message', sent.id), t.ids.decode('profile', profile)],
        ],
      );
      assert.equal((await settled(api, sent.id)).state, 'delivered');
    }
  });

  test('attachments: URLs checked against what each platform takes', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ phone: PHONE, subscribe: true });
      const whatsapp = await createChannel(api, { technology: 'whatsapp', origin: '+31612340001', provider: 'dev-inbox' });
      await inbound(api, { channel: whatsapp.id, from: PHONE, body: 'hi' });
      const sms = await send(api, { profile, technology: 'sms', body: 'see', attachments: ['https://cdn.test/a.png', 'https://cdn.test/menu.pdf'] });
      assert.deepEqual(sms.attachments, ['https://cdn.test/a.png', 'https://cdn.test/menu.pdf']);
      const photo = await send(api, { profile, technology: 'whatsapp', body: 'photo', attachments: ['https://cdn.test/photo.jpeg'] });
      assert.deepEqual(photo.attachments, ['https://cdn.test/photo.jpeg']);
      await settled(api, photo.id);
      const [entry] = await devInbox(api);
      assert.deepEqual(entry?.sent?.attachments, [{ url: 'https://cdn.test/photo.jpeg', content_type: 'image/jpeg', filename: 'photo.jpeg' }]);
      assertError(await api.post('/messages', { profile, technology: 'whatsapp', body: 'two', attachments: ['https://cdn.test/a.png', 'https://cdn.test/b.png'] }), 422, 'invalid', 'attachments');
      assertError(await api.post('/messages', { profile, technology: 'whatsapp', body: 'gif', attachments: ['https://cdn.test/a.gif'] }), 422, 'invalid', 'attachments');
      assertError(await api.post('/messages', { profile, technology: 'sms', body: 'ftp', attachments: ['ftp://cdn.test/a.png'] }), 422, 'invalid', 'attachments');
      assertError(await api.post('/messages', { profile, technology: 'sms', body: 'many', attachments: Array.from({ length: 11 }, (_, i) => `https://cdn.test/${i}.png`) }), 422, 'invalid', 'attachments');
    }
  });

  test('email (an extension): subject, HTML and text parts and headers, through the dev-inbox email channel', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ email: 'Ana@Example.test', phone: PHONE, subscribe: true });
      const mail = await send(api, { profile, technology: 'email', subject: 'Your order', body: 'Plain text', html: '<p>Rich</p>', headers: { 'List-Unsubscribe': '<https://acme.test/u>' } });
      assert.equal(mail.destination, 'ana@example.test');
      assert.equal(mail.origin, 'no-reply@dev-inbox.invalid');
      assert.equal(mail.subject, 'Your order');
      assert.equal(mail.html, '<p>Rich</p>');
      await settled(api, mail.id);
      const [entry] = await devInbox(api, '?destination=ana@example.test');
      assert.equal(entry?.sent?.subject, 'Your order');
      assert.equal(entry?.sent?.html, '<p>Rich</p>');
      assert.equal(entry?.sent?.body, 'Plain text');
      const header = (name: string) => entry?.sent?.headers.find((h) => h.name === name)?.value;
      assert.equal(header('Subject'), 'Your order');
      assert.equal(header('To'), 'ana@example.test');
      assert.equal(header('Message-ID'), `<${t.ids.decode('message', mail.id)}.hellohub@dev-inbox.invalid>`);
      assert.equal(header('List-Unsubscribe'), '<https://acme.test/u>');
      assertError(await api.post('/messages', { profile, technology: 'email', body: 'x', subject: 'two\nlines' }), 422, 'invalid', 'subject');
      assertError(await api.post('/messages', { profile, technology: 'email', body: 'x', headers: { Bcc: 'spy@evil.test' } }), 422, 'invalid', 'headers');
    }
  });

  test('a message whose channel is deleted or deactivated before it is sent fails with a reason', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    const channel = await createChannel(api, { technology: 'sms', origin: '+31612340005', provider: 'dev-inbox', rate: 0.001 });
    const first = await send(api, { profile, body: 'first', origin: channel.origin });
    const second = await send(api, { profile, body: 'second', origin: channel.origin });
    // Whichever send claimed the channel's only slot for the next 1000 s went out (the worker
    // may run both jobs at once, in either order); the other waits in the queue.
    const statesNow = async () => [(await message(api, first.id)).state, (await message(api, second.id)).state];
    for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
      if ((await statesNow()).includes('delivered')) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const states = await statesNow();
    assert.deepEqual([...states].sort(), ['delivered', 'pending']);
    const waiting = states[0] === 'pending' ? first : second;
    await api.patch(`/channels/${channel.id}`, { active: false });
    clock.tick(1001);
    const failed = await settled(api, waiting.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.failed_at, clock.seconds);
    assert.match(failed.failure_reason ?? '', /deactivated/);
  });
});
