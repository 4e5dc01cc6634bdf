import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { testCore, type TestCore } from '../../../test/support/context.js';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';
import { createBusiness } from './businesses.service.js';
import { DomainError } from '../shared/errors.js';

describe('API keys', () => {
  let core: TestCore;
  let businessId: number;

  before(async () => {
    core = await testCore();
    businessId = (await createBusiness(core, { name: 'Keys Inc', country: 'nl', currency: 'eur' })).business.id;
  });
  after(() => core.dispose());

  test('a key is 32 random bytes, stored only as its SHA-256 with a visible prefix', async () => {
    const key = await createApiKey(core, { businessId });
    assert.match(key.token, /^hh_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(key.token.slice(3), 'base64url').length, 32);
    assert.ok(key.token.startsWith(key.prefix));
    const row = await core.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, createHash('sha256').update(key.token).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(key.token.slice(12)), 'the secret part is stored nowhere');
  });

  test('authenticates the business of a live key on any surface', async () => {
    const key = await createApiKey(core, { businessId });
    assert.deepEqual(await authenticateApiKey(core, key.token, 'esputnik'), { businessId, keyId: key.id });
    assert.equal(await authenticateApiKey(core, key.token.slice(0, -1) + (key.token.endsWith('A') ? 'B' : 'A'), 'esputnik'), undefined);
    assert.equal(await authenticateApiKey(core, 'not-a-key', 'hellotext'), undefined);
  });

  test('surface restriction', async () => {
    const key = await createApiKey(core, { businessId, surfaces: ['hellotext', 'esputnik'] });
    assert.deepEqual(key.surfaces, ['hellotext', 'esputnik']);
    assert.ok(await authenticateApiKey(core, key.token, 'hellotext'));
    assert.equal(await authenticateApiKey(core, key.token, 'hellodialog'), undefined);
    await assert.rejects(createApiKey(core, { businessId, surfaces: ['smtp'] }), (e: unknown) => e instanceof DomainError && e.code === 'invalid');
  });

  test('revocation by prefix is immediate and shows in the list', async () => {
    const key = await createApiKey(core, { businessId, name: 'ci' });
    await revokeApiKey(core, key.prefix.slice(3));
    assert.equal(await authenticateApiKey(core, key.token, 'hellotext'), undefined);
    const listed = (await listApiKeys(core, businessId)).find((k) => k.id === key.id);
    assert.ok(listed?.revokedAt);
    await assert.rejects(revokeApiKey(core, 'hh_zzzzzzzz'), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
    await assert.rejects(revokeApiKey(core, key.prefix), (e: unknown) => e instanceof DomainError && e.code === 'not_allowed', 'already revoked');
  });

  test('revoke takes the whole key or the start of its prefix, nothing else', async () => {
    const key = await createApiKey(core, { businessId });
    await assert.rejects(revokeApiKey(core, `${key.prefix}XYZ-not-the-key`), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
    await assert.rejects(revokeApiKey(core, 'hh_ab'), (e: unknown) => e instanceof DomainError && e.code === 'invalid');
    assert.ok(await authenticateApiKey(core, key.token, 'hellotext'), 'still live');
    const revoked = await revokeApiKey(core, key.token);
    assert.equal(revoked.id, key.id);
    assert.equal(await authenticateApiKey(core, key.token, 'hellotext'), undefined);

    const other = await createApiKey(core, { businessId });
    await revokeApiKey(core, other.prefix.slice(0, 9));
    assert.equal(await authenticateApiKey(core, other.token, 'hellotext'), undefined, 'a unique shorter start is enough');
  });

  test('a key for a business that does not exist is refused', async () => {
    await assert.rejects(createApiKey(core, { businessId: 987654321 }), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
  });
});
