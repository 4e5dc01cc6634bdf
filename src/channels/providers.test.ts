import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProvider, InvalidSettingsError, isProviderName, keepSecrets, parseSettings, parseWebhook, providerDefinition, providerNames, secretPaths, supportsTechnology, withoutSecrets } from './providers.js';
import { recordingEvents, testDeps } from './testing.js';

test('names every provider and the technologies each carries', () => {
  assert.deepEqual([...providerNames].sort(), ['http-sms', 'smpp', 'smtp', 'whatsapp-cloud']);
  assert.ok(isProviderName('smtp'));
  assert.ok(!isProviderName('dev-inbox'), 'comes with the engine');
  assert.ok(!isProviderName('toString'));
  assert.ok(supportsTechnology('smtp', 'email'));
  assert.ok(!supportsTechnology('smtp', 'sms'));
  assert.ok(supportsTechnology('whatsapp-cloud', 'whatsapp'));
});

test('settings are checked, completed with defaults, and errors name paths but never values', () => {
  const ok = parseSettings('smtp', { host: 'smtp.acme.test', from: 'bounces@acme.test', pass: 'hunter2', user: 'u' });
  assert.deepEqual(ok, {
    ok: true,
    settings: { host: 'smtp.acme.test', from: 'bounces@acme.test', pass: 'hunter2', user: 'u', port: 587, secure: false, requireTls: false, maxConnections: 5, timeoutMs: 30_000 },
  });
  const bad = parseSettings('smpp', { host: 'smsc.test', systemId: 'hh', password: 12345678, extra: 'hunter2' });
  assert.equal(bad.ok, false);
  const errors = bad.ok ? [] : bad.errors;
  assert.ok(errors.some((error) => error.startsWith('/password')));
  assert.ok(!errors.join(' ').includes('hunter2') && !errors.join(' ').includes('12345678'));
  assert.equal(parseSettings('http-sms', { baseUrl: 'not a url', accountSid: 'AC1', authToken: 't' }).ok, false);
  assert.equal(parseSettings('whatsapp-cloud', { phoneNumberId: '12', accessToken: 'a', appSecret: 'b', verifyToken: 'c' }).ok, true);
});

test('secrets are marked writeOnly, can be left out of answers and kept across updates', () => {
  assert.deepEqual(secretPaths(providerDefinition('smtp').settingsSchema), [['pass'], ['dkim', 'privateKey']]);
  assert.deepEqual(secretPaths(providerDefinition('smpp').settingsSchema), [['password']]);
  assert.deepEqual(secretPaths(providerDefinition('http-sms').settingsSchema), [['authToken']]);
  assert.deepEqual(secretPaths(providerDefinition('whatsapp-cloud').settingsSchema), [['accessToken'], ['appSecret'], ['verifyToken']]);

  const schema = providerDefinition('smtp').settingsSchema;
  const stored = { host: 'h', from: 'f@x.test', pass: 'p', dkim: { domainName: 'x.test', keySelector: 's', privateKey: 'KEY' } };
  assert.deepEqual(withoutSecrets(schema, stored), { host: 'h', from: 'f@x.test', dkim: { domainName: 'x.test', keySelector: 's' } });
  assert.equal(stored.pass, 'p', 'the stored object is left alone');
  assert.deepEqual(keepSecrets(schema, stored, { host: 'h2', from: 'f@x.test', dkim: { domainName: 'x.test', keySelector: 's2' } }), {
    host: 'h2',
    from: 'f@x.test',
    pass: 'p',
    dkim: { domainName: 'x.test', keySelector: 's2', privateKey: 'KEY' },
  });
  assert.deepEqual(keepSecrets(schema, stored, { host: 'h', from: 'f@x.test', pass: 'new' }), { host: 'h', from: 'f@x.test', pass: 'new' }, 'a given secret replaces the stored one');
});

test('stored settings that fail the schema throw instead of half-working', (t) => {
  assert.throws(() => createProvider('http-sms', { accountSid: 'AC1' }, recordingEvents(), testDeps(t)), InvalidSettingsError);
  const request = { method: 'POST', headers: {}, query: {}, rawBody: Buffer.alloc(0), url: 'https://h.test/x', receivedAt: 0 };
  assert.throws(() => parseWebhook('whatsapp-cloud', {}, request), InvalidSettingsError);
});

test('providers without webhooks answer 404', () => {
  const request = { method: 'POST', headers: {}, query: {}, rawBody: Buffer.alloc(0), url: 'https://h.test/x', receivedAt: 0 };
  const result = parseWebhook('smtp', { host: 'h', from: 'f@x.test' }, request);
  assert.deepEqual(result, { kind: 'rejected', status: 404, reason: 'smtp takes no webhooks' });
});
