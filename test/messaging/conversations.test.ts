import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { touchInbox } from '../../src/core/messaging/conversations.service.js';
import { forBusiness, inTransaction } from '../../src/core/shared/tenant.js';
import type { MessageDirection, MessageState } from '../../src/store/tables.js';
import { ENCODINGS, assertError, audienceApp, sortedKeys, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';
import { MESSAGE_EXTENSION_KEYS, MESSAGE_KEYS } from './messages-support.js';

interface ConversationJson {
  id: string;
  type: 'conversation';
  profile: string;
  first_name: string | null;
  last_name: string | null;
  last_activity_at: number;
  last_message: { id: string; direction: MessageDirection; body: string; state: MessageState; technology: string; created_at: number } | null;
  counts: { messages: number; received: number; sent: number };
}

interface MessageJson {
  id: string;
  type: 'message';
  body: string;
  direction: MessageDirection;
  state: MessageState;
  profile: string | null;
  [key: string]: unknown;
}

// A conversation's messages are the objects /v1/messages answers, extensions included.
const CONVERSATION_MESSAGE_KEYS = [...MESSAGE_KEYS, ...MESSAGE_EXTENSION_KEYS].sort();

/** GET /v1/conversations and GET /v1/conversations/:profile/messages (extensions): the inbox. */
describe('conversations', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  const key = (id: string) => t.ids.require('profile', id, 'Profile');

  /**
   * A message in or out, written as the message engine does: its row, then `touchInbox` in
   * the same transaction.
   */
  async function message(api: Api, profile: string, direction: MessageDirection, body: string, extra: { attachments?: string[] } = {}): Promise<string> {
    const ctx = forBusiness(t.core, api.businessId);
    const at = t.clock.seconds;
    const id = await inTransaction(ctx, async (trx) => {
      const row = await trx.db
        .insertInto('messages')
        .values({
          business_id: api.businessId,
          profile_id: key(profile),
          direction,
          technology: 'sms',
          origin: direction === 'outbound' ? '+3197010000000' : '+31612345678',
          destination: direction === 'outbound' ? '+31612345678' : '+3197010000000',
          body,
          content: JSON.stringify({ attachments: (extra.attachments ?? []).map((url) => ({ url, content_type: 'image/png' })) }),
          transactional: 0,
          state: direction === 'outbound' ? 'delivered' : 'received',
          created_at: at,
          updated_at: at,
          delivered_at: direction === 'outbound' ? at : null,
          received_at: direction === 'inbound' ? at : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await touchInbox(trx, key(profile), at);
      return row.id;
    });
    return t.ids.encode('message', id);
  }

  async function conversations(api: Api, query = ''): Promise<ConversationJson[]> {
    const res = await api.get<{ conversations: ConversationJson[] }>(`/conversations${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body.conversations;
  }

  async function messages(api: Api, profile: string, query = ''): Promise<MessageJson[]> {
    const res = await api.get<{ messages: MessageJson[] }>(`/conversations/${profile}/messages${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body.messages;
  }

  test('empty until a profile has a message; then one conversation with its last message and counts', async () => {
    const api = await tenant(t);
    assert.deepEqual((await api.get('/conversations')).body, { conversations: [] });
    const ana = await api.createProfile({ first_name: 'Ana', last_name: 'Silva' });
    assert.deepEqual(await conversations(api), [], 'a profile alone is no conversation');

    await message(api, ana, 'outbound', 'Hi Ana, your order shipped.');
    t.clock.tick();
    const reply = await message(api, ana, 'inbound', 'Thanks!');
    const [conversation, ...rest] = await conversations(api);
    assert.deepEqual(rest, []);
    assert.ok(conversation);
    assert.deepEqual(sortedKeys(conversation), ['counts', 'first_name', 'id', 'last_activity_at', 'last_message', 'last_name', 'profile', 'type']);
    assert.deepEqual(conversation, {
      id: ana,
      type: 'conversation',
      profile: ana,
      first_name: 'Ana',
      last_name: 'Silva',
      last_activity_at: t.clock.seconds,
      last_message: { id: reply, direction: 'inbound', body: 'Thanks!', state: 'received', technology: 'sms', created_at: t.clock.seconds },
      counts: { messages: 2, received: 1, sent: 1 },
    });
  });

  test('newest activity first: messages in or out and non-passive events move a conversation up, passive ones do not', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const [ana, ben, cy, dee] = [await api.createProfile({ first_name: 'Ana' }), await api.createProfile({ first_name: 'Ben' }), await api.createProfile({ first_name: 'Cy' }), await api.createProfile({ first_name: 'Dee' })];
      assert.equal((await api.post('/attribution/actions', { name: 'help.requested', passive: false })).status, 201);
      assert.equal((await api.post('/attribution/actions', { name: 'page.read', passive: true })).status, 201);
      const order = async () => (await conversations(api)).map((c) => c.first_name);

      await message(api, ana, 'outbound', 'one');
      t.clock.tick();
      await message(api, ben, 'outbound', 'two');
      t.clock.tick();
      await message(api, cy, 'inbound', 'three');
      assert.deepEqual(await order(), ['Cy', 'Ben', 'Ana']);

      t.clock.tick();
      await message(api, ana, 'inbound', 'four');
      assert.deepEqual(await order(), ['Ana', 'Cy', 'Ben']);

      t.clock.tick();
      assert.equal((await api.post('/attribution/events', { action: 'page.read', profile: ben })).status, 201);
      assert.deepEqual(await order(), ['Ana', 'Cy', 'Ben'], 'a passive event leaves the inbox as it is');
      assert.equal((await api.post('/attribution/events', { action: 'help.requested', profile: ben })).status, 201);
      assert.deepEqual(await order(), ['Ben', 'Ana', 'Cy']);

      t.clock.tick();
      assert.equal((await api.post('/attribution/events', { action: 'help.requested', profile: dee })).status, 201);
      const [first] = await conversations(api);
      assert.deepEqual({ ...first, id: '-', profile: '-' }, { id: '-', type: 'conversation', profile: '-', first_name: 'Dee', last_name: null, last_activity_at: t.clock.seconds, last_message: null, counts: { messages: 0, received: 0, sent: 0 } });
      t.clock.tick();
    }
  });

  test('touchInbox never moves a conversation back in time', async () => {
    const api = await tenant(t);
    const ana = await api.createProfile({ first_name: 'Ana' });
    const ctx = forBusiness(t.core, api.businessId);
    await touchInbox(ctx, key(ana), 2_000_000_000);
    await touchInbox(ctx, key(ana), 1_000_000_000);
    assert.equal((await conversations(api))[0]?.last_activity_at, 2_000_000_000);
  });

  test('the last message shows the first 140 characters of its body', async () => {
    const api = await tenant(t);
    const ana = await api.createProfile({ first_name: 'Ana' });
    await message(api, ana, 'outbound', `${'é'.repeat(139)}xyz`);
    assert.equal((await conversations(api))[0]?.last_message?.body, `${'é'.repeat(139)}…`);
    t.clock.tick();
    await message(api, ana, 'outbound', 'x'.repeat(140));
    assert.equal((await conversations(api))[0]?.last_message?.body, 'x'.repeat(140));
  });

  test('paginated by place in the inbox with profile ids as cursors; ties by newest profile', async () => {
    const api = await tenant(t);
    const names = ['P1', 'P2', 'P3', 'P4', 'P5'];
    const ids: string[] = [];
    for (const name of names) ids.push(await api.createProfile({ first_name: name }));
    // P1 and P2 at the same second; then one a second.
    for (const [index, id] of ids.entries()) {
      if (index > 1) t.clock.tick();
      await message(api, id, 'outbound', 'hello');
    }
    const page = async (query: string) => (await conversations(api, query)).map((c) => c.first_name);
    assert.deepEqual(await page(''), ['P5', 'P4', 'P3', 'P2', 'P1']);
    assert.deepEqual(await page('?limit=2'), ['P5', 'P4']);
    assert.deepEqual(await page(`?limit=2&starting_after=${ids[3]}`), ['P3', 'P2']);
    assert.deepEqual(await page(`?starting_after=${ids[1]}`), ['P1']);
    assert.deepEqual(await page(`?ending_before=${ids[0]}&limit=2`), ['P3', 'P2']);
    assert.deepEqual(await page(`?ending_before=${ids[2]}`), ['P5', 'P4']);
    assert.deepEqual(await page(`?starting_after=${ids[4]}&ending_before=${ids[1]}`), ['P4', 'P3']);

    const quiet = await api.createProfile({ first_name: 'Quiet' });
    assertError(await api.get(`/conversations?starting_after=${quiet}`), 422, 'invalid', 'starting_after');
    assertError(await api.get(`/conversations?ending_before=${quiet}`), 422, 'invalid', 'ending_before');
    assertError(await api.get('/conversations?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
    assertError(await api.get('/conversations?limit=0'), 422, 'invalid', 'limit');
    assert.equal((await conversations(api, '?limit=1000')).length, 5);
  });

  test("a profile's messages in and out, newest first, in the Message shape, paginated", async () => {
    const api = await tenant(t);
    const ana = await api.createProfile({ first_name: 'Ana' });
    const ben = await api.createProfile({ first_name: 'Ben' });
    assert.deepEqual(await messages(api, ana), []);
    const sent: string[] = [];
    for (const [index, direction] of (['outbound', 'inbound', 'outbound', 'inbound'] as const).entries()) {
      sent.push(await message(api, ana, direction, `m${index}`, { attachments: index === 0 ? ['https://cdn.example/a.png'] : [] }));
      t.clock.tick();
    }
    await message(api, ben, 'outbound', 'not Ana’s');

    const all = await messages(api, ana);
    assert.deepEqual(all.map((m) => m.body), ['m3', 'm2', 'm1', 'm0']);
    assert.deepEqual(all.map((m) => m.direction), ['inbound', 'outbound', 'inbound', 'outbound']);
    for (const item of all) assert.deepEqual(sortedKeys(item), CONVERSATION_MESSAGE_KEYS);
    const oldest = all[3];
    assert.ok(oldest);
    assert.deepEqual(
      { ...oldest, created_at: 0, delivered_at: 0 },
      {
        id: sent[0],
        type: 'message',
        attachments: ['https://cdn.example/a.png'],
        body: 'm0',
        created_at: 0,
        delivered_at: 0,
        destination: '+31612345678',
        failed_at: null,
        origin: '+3197010000000',
        profile: ana,
        received_at: null,
        routed_at: null,
        state: 'delivered',
        technology: 'sms',
        template: null,
        direction: 'outbound',
        channel: null,
        failure_reason: null,
        transactional: false,
        subject: null,
        html: null,
      },
    );
    assert.equal(all[0]?.state, 'received');

    const bodies = async (query: string) => (await messages(api, ana, query)).map((m) => m.body);
    assert.deepEqual(await bodies('?limit=2'), ['m3', 'm2']);
    assert.deepEqual(await bodies(`?starting_after=${sent[2]}`), ['m1', 'm0']);
    assert.deepEqual(await bodies(`?ending_before=${sent[0]}&limit=1`), ['m1']);
    assertError(await api.get(`/conversations/${ana}/messages?starting_after=zz-zzzzz`), 422, 'invalid', 'starting_after');
    assertError(await api.get('/conversations/zz-zzzzz/messages'), 404, 'not_found', 'profile');
  });

  test("tenant isolation: another business's conversations are invisible and its profiles 404", async () => {
    const owner = await tenant(t);
    const intruder = await tenant(t);
    const ana = await owner.createProfile({ first_name: 'Ana' });
    const sent = await message(owner, ana, 'outbound', 'private');
    assert.equal((await conversations(owner)).length, 1);

    assert.deepEqual(await conversations(intruder), []);
    assertError(await intruder.get(`/conversations/${ana}/messages`), 404, 'not_found', 'profile');
    assertError(await intruder.get(`/conversations?starting_after=${ana}`), 422, 'invalid', 'starting_after');
    const own = await intruder.createProfile({ first_name: 'Mine' });
    assert.deepEqual(await messages(intruder, own, `?ending_before=${sent}`), [], "the owner's message id pages nothing of the intruder's");
    for (const res of [await t.app.inject({ method: 'GET', url: '/v1/conversations' }), await t.app.inject({ method: 'GET', url: `/v1/conversations/${ana}/messages` })]) {
      assertError({ status: res.statusCode, body: JSON.parse(res.body) as unknown, text: res.body }, 401, 'unauthorized');
    }
  });
});
