import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testCore, type TestCore } from '../../../test/support/context.js';
import { createBusiness } from '../business/businesses.service.js';
import { forBusiness, type TenantContext } from '../shared/tenant.js';
import { mayContact, suppress, unsuppress } from './consent.service.js';
import { clearProfile, createProfile, getProfile, setProfileBlocked, subscribeProfile, unsubscribeProfile } from './profiles.service.js';

describe('consent: may this profile receive a message', () => {
  let core: TestCore;
  let ctx: TenantContext;
  before(async () => {
    core = await testCore();
    ctx = forBusiness(core, (await createBusiness(core, { name: 'Consent Co', country: 'NL' })).business.id);
  });
  after(() => core.dispose());

  const email = (address: string, purpose: 'promotional' | 'transactional' = 'promotional') => ({ channel: 'email' as const, address, purpose });

  test('unconfirmed and subscribed profiles may; unsubscribed ones only transactionally', async () => {
    const profile = await createProfile(ctx, { contacts: [{ kind: 'email', target: { by: 'default' }, value: 'a@example.com', parameter: 'email' }] });
    assert.deepEqual(await mayContact(ctx, profile, email('a@example.com')), { allowed: true });
    const unsubscribed = await unsubscribeProfile(ctx, profile.id);
    assert.deepEqual(await mayContact(ctx, unsubscribed, email('a@example.com')), { allowed: false, reason: 'unsubscribed' });
    assert.deepEqual(await mayContact(ctx, unsubscribed, email('a@example.com', 'transactional')), { allowed: true });
    assert.deepEqual(await mayContact(ctx, await subscribeProfile(ctx, profile.id), email('a@example.com')), { allowed: true });
  });

  test('a blocked profile receives nothing, not even transactional messages', async () => {
    const profile = await createProfile(ctx, { subscribe: true });
    const blocked = await setProfileBlocked(ctx, profile.id, true);
    assert.deepEqual(await mayContact(ctx, blocked, email('b@example.com', 'transactional')), { allowed: false, reason: 'blocked' });
  });

  test('a suppressed address receives nothing, whichever profile holds it and however it is written', async () => {
    const profile = await createProfile(ctx, { subscribe: true });
    await suppress(ctx, ' Shared@Example.COM ', 'complaint');
    assert.deepEqual(await mayContact(ctx, profile, email('shared@example.com', 'transactional')), { allowed: false, reason: 'suppressed' });
    await suppress(ctx, '0612345678');
    const sms = { channel: 'sms' as const, address: '+31612345678', purpose: 'transactional' as const };
    assert.deepEqual(await mayContact(ctx, profile, sms), { allowed: false, reason: 'suppressed' }, 'a local number is stored in E.164');
    await unsuppress(ctx, 'shared@example.com');
    assert.deepEqual(await mayContact(ctx, profile, email('shared@example.com')), { allowed: true });
  });

  test('a cleared profile receives no promotional message until subscribed again', async () => {
    const profile = await createProfile(ctx, { subscribe: true });
    await clearProfile(ctx, profile.id);
    const cleared = await getProfile(ctx, profile.id);
    assert.deepEqual(await mayContact(ctx, cleared, email('c@example.com')), { allowed: false, reason: 'cleared' });
    assert.deepEqual(await mayContact(ctx, await subscribeProfile(ctx, profile.id), email('c@example.com')), { allowed: true });
  });
});
