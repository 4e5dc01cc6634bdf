import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import * as foundation from '../../src/store/migrations/2026-11-22-01-foundation.js';
import * as audience from '../../src/store/migrations/2026-11-22-02-audience.js';
import * as tracking from '../../src/store/migrations/2026-11-22-03-tracking.js';
import * as messaging from '../../src/store/migrations/2026-11-22-04-messaging.js';
import { openStore } from '../../src/store/database.js';
import { createScratchDatabase, tempDir, testDatabaseUrl } from '../support/database.js';
import { assertError, channelsOf, createChannel, ENCODINGS, messagingApp, sortedKeys, tenant, type ChannelJson, type MessagingApp } from './messages-support.js';

const CHANNEL_KEYS = ['id', 'type', 'technology', 'origin', 'provider', 'settings', 'rate', 'active', 'webhook_url', 'created_at', 'updated_at'];

const smtpSettings = { host: 'smtp.example.test', port: 2525, user: 'mailer', pass: 's3cret', from: 'bounces@acme.test' };

/** POST/GET/PATCH/DELETE /v1/channels[/:id]: our extension. */
describe('channels', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp();
  });
  after(() => t.close());

  test('a new business starts with dev-inbox channels for SMS and email, and nothing else', async () => {
    const api = await tenant(t);
    const channels = await channelsOf(api);
    assert.deepEqual(
      channels.map((c) => [c.technology, c.provider, c.origin, c.active]).sort(),
      [
        ['email', 'dev-inbox', 'no-reply@dev-inbox.invalid', true],
        ['sms', 'dev-inbox', 'DevInbox', true],
      ],
    );
    for (const technology of ['whatsapp', 'instagram', 'mercadolibre']) assert.deepEqual(await channelsOf(api, technology), []);
    for (const channel of channels) {
      assert.deepEqual(sortedKeys(channel), [...CHANNEL_KEYS].sort());
      assert.deepEqual(channel.settings, {});
      assert.equal(channel.webhook_url, null);
    }
  });

  test('create, retrieve, update and delete in both encodings', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const created = await api.post<ChannelJson>('/channels', { technology: 'whatsapp', origin: '+31 6 12345678', provider: 'dev-inbox', rate: '5' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(sortedKeys(created.body), [...CHANNEL_KEYS].sort());
      assert.deepEqual(
        { ...created.body, id: '-' },
        { id: '-', type: 'channel', technology: 'whatsapp', origin: '+31612345678', provider: 'dev-inbox', settings: {}, rate: 5, active: true, webhook_url: null, created_at: created.body.created_at, updated_at: created.body.updated_at },
      );
      const { id } = created.body;
      assert.deepEqual((await api.get<ChannelJson>(`/channels/${id}`)).body, created.body);

      const updated = await api.patch<ChannelJson>(`/channels/${id}`, { rate: 0.5, active: false });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body, { ...created.body, rate: 0.5, active: false, updated_at: updated.body.updated_at });

      const moved = await api.patch<ChannelJson>(`/channels/${id}`, { provider: 'whatsapp-cloud', settings: { phoneNumberId: '1234567', accessToken: 't', appSecret: 'a', verifyToken: 'v', timeoutMs: '2000' } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.provider, 'whatsapp-cloud');
      assert.deepEqual(moved.body.settings, { baseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0', phoneNumberId: '1234567', timeoutMs: 2000 }, 'defaults filled, secrets never answered, form text read as numbers');
      assert.match(moved.body.webhook_url ?? '', /\/hooks\/whatsapp-cloud\/\d+$/);

      const deleted = await api.delete<Record<string, unknown>>(`/channels/${id}`);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { id, type: 'channel', deleted: true });
      assertError(await api.get(`/channels/${id}`), 404, 'not_found');
      assertError(await api.patch(`/channels/${id}`, { rate: 1 }), 404, 'not_found');
      assertError(await api.delete(`/channels/${id}`), 404, 'not_found');
    }
  });

  test('secrets are write-only: never answered, kept when an update leaves them out, replaced when given', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const channel = await createChannel(api, { technology: 'email', origin: 'Acme <News@Acme.test>', provider: 'smtp', settings: { ...smtpSettings, dkim: { domainName: 'acme.test', keySelector: 's1', privateKey: 'PEM' } } });
      assert.equal(channel.origin, 'Acme <news@acme.test>');
      assert.equal(channel.settings.pass, undefined);
      assert.deepEqual(channel.settings.dkim, { domainName: 'acme.test', keySelector: 's1' });
      assert.equal(channel.settings.port, 2525);
      assert.equal(channel.settings.secure, false, 'a default filled in');
      const stored = async () => {
        const row = await t.core.db.selectFrom('channels').select('settings').where('id', '=', t.ids.decode('channel', channel.id) ?? 0).executeTakeFirstOrThrow();
        return JSON.parse(row.settings) as Record<string, unknown>;
      };
      assert.equal((await stored()).pass, 's3cret');

      const kept = await api.patch<ChannelJson>(`/channels/${channel.id}`, { settings: { host: 'smtp2.example.test', from: 'bounces@acme.test', user: 'mailer', dkim: { domainName: 'acme.test', keySelector: 's2' } } });
      assert.equal(kept.status, 200, kept.text);
      assert.equal(kept.body.settings.host, 'smtp2.example.test');
      assert.equal(kept.body.settings.pass, undefined);
      assert.equal((await stored()).pass, 's3cret', 'the password an update left out is kept');
      assert.deepEqual((await stored()).dkim, { domainName: 'acme.test', keySelector: 's2', privateKey: 'PEM' }, 'nested secrets too');

      await api.patch(`/channels/${channel.id}`, { settings: { ...smtpSettings, pass: 'n3w' } });
      assert.equal((await stored()).pass, 'n3w');
      const listed = (await channelsOf(api, 'email')).find((c) => c.id === channel.id);
      assert.equal(listed?.settings.pass, undefined);
    }
  });

  test('every parameter is checked: required ones, technologies, provider compatibility, settings, origins, rates', async () => {
    const api = await tenant(t);
    const base = { technology: 'sms', origin: '+31612345678', provider: 'dev-inbox' };
    assertError(await api.post('/channels', { ...base, technology: undefined }), 400, 'parameter_missing', 'technology');
    assertError(await api.post('/channels', { ...base, provider: undefined }), 400, 'parameter_missing', 'provider');
    assertError(await api.post('/channels', { ...base, origin: undefined }), 400, 'parameter_missing', 'origin');
    assertError(await api.post('/channels', { ...base, origin: ' ' }), 422, 'parameter_invalid_empty', 'origin');
    assertError(await api.post('/channels', { ...base, technology: 'fax' }), 422, 'invalid', 'technology');
    assertError(await api.post('/channels', { ...base, provider: 'carrier-pigeon' }), 422, 'invalid', 'provider');
    assertError(await api.post('/channels', { ...base, provider: 'smtp', settings: smtpSettings }), 422, 'invalid', 'provider');
    assertError(await api.post('/channels', { technology: 'email', origin: 'a@b.test', provider: 'smpp', settings: {} }), 422, 'invalid', 'provider');
    assertError(await api.post('/channels', { technology: 'whatsapp', origin: '+31612345678', provider: 'http-sms', settings: {} }), 422, 'invalid', 'provider');
    const badSettings = await api.post<{ errors: Array<{ message: string }> }>('/channels', { technology: 'email', origin: 'a@b.test', provider: 'smtp', settings: { port: 25, pass: 'hunter2' } });
    assertError(badSettings, 422, 'invalid', 'settings');
    assert.match(badSettings.body.errors[0]?.message ?? '', /host/);
    assert.doesNotMatch(badSettings.text, /hunter2/, 'a refusal never repeats a value, which may be a secret');
    assertError(await api.post('/channels', { ...base, settings: { anything: 1 } }), 422, 'invalid', 'settings');
    assertError(await api.post('/channels', { ...base, settings: 'x' }), 422, 'invalid', 'settings');
    assertError(await api.post('/channels', { technology: 'whatsapp', origin: 'Acme', provider: 'dev-inbox' }), 422, 'invalid', 'origin');
    assertError(await api.post('/channels', { technology: 'email', origin: 'not-an-address', provider: 'dev-inbox' }), 422, 'invalid', 'origin');
    assertError(await api.post('/channels', { technology: 'instagram', origin: 'has spaces here', provider: 'dev-inbox' }), 422, 'invalid', 'origin');
    assertError(await api.post('/channels', { ...base, origin: 'TooLongSenderId' }), 422, 'invalid', 'origin');
    for (const rate of [0, -1, 'fast', 10_001]) assertError(await api.post('/channels', { ...base, rate }), 422, 'invalid', 'rate');
    assertError(await api.post('/channels', { ...base, active: 'maybe' }), 422, 'invalid', 'active');

    // Sender ids, short codes and local numbers (read in the business's country, NL) are SMS origins.
    assert.equal((await createChannel(api, { ...base, origin: 'Acme' })).origin, 'Acme');
    assert.equal((await createChannel(api, { ...base, origin: '4242' })).origin, '4242');
    const local = await createChannel(api, { ...base, origin: '06 12345678' });
    assert.equal(local.origin, '+31612345678');
    assert.equal((await createChannel(api, { technology: 'instagram', origin: '@Acme.Store', provider: 'dev-inbox' })).origin, 'acme.store');

    // One channel per technology and origin: inbound messages find their channel by it.
    assertError(await api.post('/channels', { ...base, origin: '+31 6 12345678' }), 422, 'parameter_not_unique', 'origin');
    const other = await createChannel(api, { ...base, origin: '+31612345679' });
    assertError(await api.patch(`/channels/${other.id}`, { origin: '+31612345678' }), 422, 'parameter_not_unique', 'origin');
    assert.equal((await createChannel(api, { ...base, technology: 'whatsapp' })).origin, '+31612345678', 'the same number on another technology');

    // A new provider needs its settings; the technology must still fit.
    assertError(await api.patch(`/channels/${other.id}`, { provider: 'http-sms' }), 400, 'parameter_missing', 'settings');
    assertError(await api.patch(`/channels/${other.id}`, { technology: 'email' }), 422, 'invalid', 'origin');
    assertError(await api.patch(`/channels/${other.id}`, { provider: 'smtp', settings: smtpSettings }), 422, 'invalid', 'provider');
    const twilio = await api.patch<ChannelJson>(`/channels/${other.id}`, { provider: 'http-sms', settings: { accountSid: 'AC1', authToken: 'tok' } });
    assert.equal(twilio.status, 200, twilio.text);
    assert.deepEqual(twilio.body.settings, { baseUrl: 'https://api.twilio.com', accountSid: 'AC1', timeoutMs: 10_000 });
    assertError(await api.patch(`/channels/${other.id}`, { settings: { accountSid: '' } }), 422, 'invalid', 'settings');
  });

  test('lists newest first with keyset pagination and a technology filter', async () => {
    const api = await tenant(t);
    const made: string[] = [];
    for (let i = 0; i < 4; i += 1) made.push((await createChannel(api, { technology: 'sms', origin: `+3161234560${i}`, provider: 'dev-inbox' })).id);
    const all = await channelsOf(api);
    assert.equal(all.length, 6);
    assert.deepEqual(all.slice(0, 4).map((c) => c.id), [...made].reverse());
    const page = await api.get<{ channels: ChannelJson[] }>(`/channels?limit=2&starting_after=${made[3]}`);
    assert.deepEqual(page.body.channels.map((c) => c.id), [made[2], made[1]]);
    const newer = await api.get<{ channels: ChannelJson[] }>(`/channels?limit=2&ending_before=${made[0]}`);
    assert.deepEqual(newer.body.channels.map((c) => c.id), [made[2], made[1]]);
    assert.equal((await channelsOf(api, 'sms')).length, 5);
    assertError(await api.get('/channels?technology=fax'), 422, 'invalid', 'technology');
    assertError(await api.get('/channels?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
  });

  test('another business’s channel is not found on any route, nor is a forged id', async () => {
    const owner = await tenant(t);
    const stranger = await tenant(t);
    const channel = await createChannel(owner, { technology: 'sms', origin: '+31612345678', provider: 'dev-inbox' });
    for (const id of [channel.id, 'zz-zzzzz']) {
      assertError(await stranger.get(`/channels/${id}`), 404, 'not_found');
      assertError(await stranger.patch(`/channels/${id}`, { rate: 1 }), 404, 'not_found');
      assertError(await stranger.delete(`/channels/${id}`), 404, 'not_found');
    }
    assert.ok(!(await channelsOf(stranger)).some((c) => c.id === channel.id));
    assert.equal((await owner.get<ChannelJson>(`/channels/${channel.id}`)).status, 200);
  });
});

describe('the messaging migration', () => {
  test('gives businesses that existed before it the default dev-inbox channels', async () => {
    const scratch = testDatabaseUrl ? await createScratchDatabase(testDatabaseUrl) : undefined;
    const store = openStore({ databaseUrl: scratch?.url, dataDir: tempDir(), poolSize: 2 });
    try {
      // The view migrations get (as Kysely's Migrator hands them): no table types.
      const db = store.db as unknown as Kysely<unknown>;
      for (const step of [foundation, audience, tracking]) await step.up(db, store.capabilities);
      await store.db
        .insertInto('businesses')
        .values({ uuid: 'u-1', public_id: 'p-1', name: 'Old', email: null, country: 'NL', currency: 'EUR', timezone: 'UTC', created_at: 1, updated_at: 1 })
        .execute();
      await messaging.up(db, store.capabilities);
      const rows = await store.db.selectFrom('channels').select(['technology', 'provider', 'origin', 'active', 'created_at']).orderBy('technology').execute();
      assert.deepEqual(rows, [
        { technology: 'email', provider: 'dev-inbox', origin: 'no-reply@dev-inbox.invalid', active: 1, created_at: 1 },
        { technology: 'sms', provider: 'dev-inbox', origin: 'DevInbox', active: 1, created_at: 1 },
      ]);
    } finally {
      await store.close();
      await scratch?.drop();
    }
  });
});
