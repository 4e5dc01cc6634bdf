import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, propertyOf, sortedKeys, tenant, type ActivityJson, type AudienceApp, type ProfileJson, type SuppressionJson } from './audience-client.js';

/** Block/unblock, the suppression list (our extensions) and verify/unverify of emails and phones. */
describe('consent', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('block and unblock answer the profile object with `blocked`, and are recorded', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ email: 'ann@acme.example', subscribe: true });
    const blocked = await api.post<ProfileJson>(`/profiles/${id}/block`);
    assert.equal(blocked.status, 200);
    assert.equal(blocked.body.blocked, true);
    assert.equal(blocked.body.state, 'subscribed', 'blocking leaves the subscription state alone');
    assert.equal((await api.profile(id)).blocked, true);
    assert.equal((await api.post<ProfileJson>(`/profiles/${id}/block`)).body.blocked, true, 'idempotent');
    const unblocked = await api.post<ProfileJson>(`/profiles/${id}/unblock`);
    assert.equal(unblocked.status, 200);
    assert.equal(unblocked.body.blocked, false);
    assert.equal((await api.profile(id)).blocked, false);
    const trail = await api.get<{ activity: ActivityJson[] }>(`/profiles/${id}/activity`);
    assert.deepEqual(
      trail.body.activity.map((entry) => entry.kind).filter((kind) => kind.endsWith('blocked')),
      ['unblocked', 'blocked'],
      'one entry per change, not per call',
    );
  });

  for (const encoding of ENCODINGS) {
    test(`suppressions (${encoding}): add normalises the address, list, filter by channel, remove by any spelling`, async () => {
      const api = await tenant(t, encoding);
      const email = await api.post<SuppressionJson>('/suppressions', { address: '  Will.E@ACME.com ', reason: 'complaint' });
      assert.equal(email.status, 201, email.text);
      assert.deepEqual(sortedKeys(email.body), ['address', 'channel', 'created_at', 'id', 'reason', 'type']);
      assert.deepEqual({ ...email.body, id: '-' }, { id: '-', type: 'suppression', channel: 'email', address: 'will.e@acme.com', reason: 'complaint', created_at: t.clock.seconds });

      t.clock.tick();
      const phone = await api.post<SuppressionJson>('/suppressions', { address: '06 1234 5678' });
      assert.equal(phone.status, 201, phone.text);
      assert.deepEqual([phone.body.channel, phone.body.address, phone.body.reason], ['phone', '+31612345678', 'manual']);
      const international = await api.post<SuppressionJson>('/suppressions', { address: '+598 98 000 001', reason: 'STOP' });
      assert.equal(international.body.address, '+59898000001');

      const again = await api.post<SuppressionJson>('/suppressions', { address: 'will.e@acme.COM', reason: 'other' });
      assert.ok([200, 201].includes(again.status), again.text);
      assert.deepEqual(again.body, email.body, 'an address already there keeps its first entry');

      const list = await api.get<{ suppressions: SuppressionJson[] }>('/suppressions');
      assert.equal(list.status, 200);
      assert.deepEqual(sortedKeys(list.body), ['suppressions']);
      assert.deepEqual(list.body.suppressions.map((entry) => entry.address), ['+59898000001', '+31612345678', 'will.e@acme.com'], 'newest first');
      const emails = await api.get<{ suppressions: SuppressionJson[] }>('/suppressions?channel=email');
      assert.deepEqual(emails.body.suppressions.map((entry) => entry.address), ['will.e@acme.com']);
      const phones = await api.get<{ suppressions: SuppressionJson[] }>('/suppressions?channel=phone&limit=1');
      assert.deepEqual(phones.body.suppressions.map((entry) => entry.address), ['+59898000001']);
      const next = await api.get<{ suppressions: SuppressionJson[] }>(`/suppressions?channel=phone&limit=1&starting_after=${phones.body.suppressions[0]?.id}`);
      assert.deepEqual(next.body.suppressions.map((entry) => entry.address), ['+31612345678']);
      assertError(await api.get('/suppressions?channel=fax'), 422, 'invalid', 'channel');

      const removed = await api.delete<Record<string, unknown>>(`/suppressions/${encodeURIComponent('WILL.E@acme.com')}`);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual(removed.body, { address: 'will.e@acme.com', type: 'suppression', deleted: true });
      assertError(await api.delete(`/suppressions/${encodeURIComponent('will.e@acme.com')}`), 404, 'not_found', 'address');
      assert.deepEqual((await api.delete<Record<string, unknown>>('/suppressions/0612345678')).body, { address: '+31612345678', type: 'suppression', deleted: true });
      assert.equal((await api.delete(`/suppressions/${encodeURIComponent('+59898000001')}`)).status, 200);
      assert.deepEqual((await api.get<{ suppressions: SuppressionJson[] }>('/suppressions')).body, { suppressions: [] });
    });
  }

  test('suppressions: a missing, empty or invalid address is refused', async () => {
    const api = await tenant(t);
    assertError(await api.post('/suppressions', { reason: 'x' }), 400, 'parameter_missing', 'address');
    assertError(await api.post('/suppressions', { address: '  ' }), 422, 'parameter_invalid_empty', 'address');
    assertError(await api.post('/suppressions', { address: 'will.e@' }), 422, 'invalid', 'address');
    assertError(await api.post('/suppressions', { address: '12' }), 422, 'invalid', 'address');
    assertError(await api.post('/suppressions', { address: 612345678 }), 422, 'invalid', 'address');
    assertError(await api.delete('/suppressions/not-an-address'), 422, 'invalid', 'address');
    assert.deepEqual((await api.get<{ suppressions: SuppressionJson[] }>('/suppressions')).body.suppressions, []);
  });

  test('suppressions: a POST without any body is 400 parameter_missing address', async () => {
    const api = await tenant(t);
    const res = await t.app.inject({ method: 'POST', url: '/v1/suppressions', headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(res.statusCode, 400, res.body);
  });

  for (const encoding of ENCODINGS) {
    test(`verify and unverify an email or a phone (${encoding}): verified_emails, verified_phones and the property's flag`, async () => {
      const api = await tenant(t, encoding);
      const id = await api.createProfile({ email: 'will.e@acme.com', phone: '0612345678' });
      await api.updateProfile(id, { email: { work: 'will@work.example' }, phone: { mobile: '+59898000001' } });

      let res = await api.post<ProfileJson>(`/profiles/${id}/verify`, { email: 'Will.E@acme.com' });
      assert.equal(res.status, 200, res.text);
      let profile = await api.profile(id);
      assert.deepEqual(profile.verified_emails, ['will.e@acme.com']);
      assert.equal(propertyOf(profile, 'email', null)?.verified, true);
      assert.equal(propertyOf(profile, 'email', 'work')?.verified, false);

      res = await api.post<ProfileJson>(`/profiles/${id}/verify`, { phone: '06 12 34 56 78' });
      assert.equal(res.status, 200, res.text);
      await api.post(`/profiles/${id}/verify`, { phone: '+598 98 000 001' });
      await api.post(`/profiles/${id}/verify`, { email: 'will@work.example' });
      profile = await api.profile(id);
      assert.deepEqual(profile.verified_phones, ['+31612345678', '+59898000001']);
      assert.deepEqual(profile.verified_emails, ['will.e@acme.com', 'will@work.example']);
      assert.equal((await api.post<ProfileJson>(`/profiles/${id}/verify`, { email: 'will@work.example' })).status, 200, 'idempotent');

      res = await api.delete<ProfileJson>(`/profiles/${id}/verify`, { email: 'will.e@acme.com' });
      assert.equal(res.status, 200, res.text);
      await api.delete(`/profiles/${id}/verify`, { phone: '+59898000001' });
      profile = await api.profile(id);
      assert.deepEqual(profile.verified_emails, ['will@work.example']);
      assert.deepEqual(profile.verified_phones, ['+31612345678']);
      assert.deepEqual(profile.emails, ['will.e@acme.com', 'will@work.example'], 'unverified contacts stay');

      // A new value must be verified again; setting the same value keeps the flag.
      profile = await api.updateProfile(id, { phone: '0612345678' });
      assert.deepEqual(profile.verified_phones, ['+31612345678']);
      profile = await api.updateProfile(id, { phone: '0687654321' });
      assert.deepEqual(profile.verified_phones, []);
      assert.deepEqual(profile.phones, ['+31687654321', '+59898000001']);
    });
  }

  test('verify refuses contacts the profile lacks, both or neither contact, and invalid values', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ email: 'will.e@acme.com' });
    for (const method of ['POST', 'DELETE'] as const) {
      assertError(await api.request(method, `/profiles/${id}/verify`, { email: 'someone@else.example' }), 404, 'not_found', 'email');
      assertError(await api.request(method, `/profiles/${id}/verify`, { phone: '+31612345678' }), 404, 'not_found', 'phone');
      assertError(await api.request(method, `/profiles/${id}/verify`, { email: 'will.e@acme.com', phone: '+31612345678' }), 422, 'ambiguous_parameter');
      assertError(await api.request(method, `/profiles/${id}/verify`, {}), 422, 'object_invalid');
      assertError(await api.request(method, `/profiles/${id}/verify`, { email: 'nope' }), 422, 'invalid', 'email');
      assertError(await api.request(method, `/profiles/${id}/verify`, { phone: '12' }), 422, 'invalid', 'phone');
    }
    assert.deepEqual((await api.profile(id)).verified_emails, []);
  });

  test('verify answers {"verified": true} and unverify {"verified": false}, as documented', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ email: 'will.e@acme.com', phone: '+59898000001' });
    assert.deepEqual((await api.post<Record<string, unknown>>(`/profiles/${id}/verify`, { phone: '+59898000001' })).body, { verified: true });
    assert.deepEqual((await api.post<Record<string, unknown>>(`/profiles/${id}/verify`, { email: 'will.e@acme.com' })).body, { verified: true });
    assert.deepEqual((await api.delete<Record<string, unknown>>(`/profiles/${id}/verify`, { phone: '+59898000001' })).body, { verified: false });
    assert.deepEqual((await api.delete<Record<string, unknown>>(`/profiles/${id}/verify`, { email: 'will.e@acme.com' })).body, { verified: false });
  });

  test('verify reads the contact from the query string when there is no body', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ email: 'will.e@acme.com' });
    const verified = await api.post(`/profiles/${id}/verify?email=will.e%40acme.com`);
    assert.equal(verified.status, 200, verified.text);
    assert.deepEqual((await api.profile(id)).verified_emails, ['will.e@acme.com']);
    const unverified = await api.delete(`/profiles/${id}/verify?email=will.e%40acme.com`);
    assert.equal(unverified.status, 200, unverified.text);
    assert.deepEqual((await api.profile(id)).verified_emails, []);
  });
});
