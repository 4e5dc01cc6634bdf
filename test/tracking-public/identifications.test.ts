import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ActivityJson, ProfileJson } from '../audience/audience-client.js';
import { assertPublicError, assertReceived, BROWSER_ENCODINGS, newToken, publicApp, visitor, type PublicApp, type Visitor } from './public-client.js';

/** POST /v1/public/identifications: find or create the visitor's profile, attach the session. */
describe('public identifications', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp();
  });
  after(() => t.close());

  /** The profile a session is attached to, as the private API shows it (undefined: none). */
  async function profileOfSession(v: Visitor, token: string): Promise<ProfileJson | undefined> {
    const session = await v.session(token);
    if (!session?.profile_id) return undefined;
    return v.api.profile(t.ids.encode('profile', session.profile_id));
  }

  test('a new visitor becomes a new profile with the given reference, email, phone and name; the answer names no profile', async () => {
    for (const encoding of BROWSER_ENCODINGS) {
      const v = await visitor(t);
      const token = newToken();
      const res = await v.post('/v1/public/identifications', { session: token, user_id: 'cus_42', email: 'Ana@Example.com', phone: '0612345678', name: 'Ana de Vries', source: 'shopify' }, { encoding });
      assertReceived(res);
      assert.ok(!/profile/i.test(res.text));
      const profile = await profileOfSession(v, token);
      assert.ok(profile, 'the session is attached');
      assert.equal(profile.first_name, 'Ana');
      assert.equal(profile.last_name, 'de Vries');
      assert.deepEqual(profile.emails, ['ana@example.com']);
      assert.deepEqual(profile.phones, ['+31612345678'], 'a local number read in the business country');
      assert.equal((profile as ProfileJson & { reference: string }).reference, 'cus_42');
      const trail = await v.api.get<{ activity: ActivityJson[] }>(`/profiles/${profile.id}/activity`);
      assert.equal(trail.status, 200, trail.text);
      assert.ok(trail.body.activity.some((entry) => entry.kind === 'identified' && entry.data.source === 'shopify'), trail.text);
    }
  });

  test('an existing profile is found by reference, else by email, else by phone, and is not changed', async () => {
    const v = await visitor(t);
    const byReference = await v.api.createProfile({ reference: 'cus_1', email: 'one@example.com', first_name: 'One' });
    const byEmail = await v.api.createProfile({ email: 'two@example.com', first_name: 'Two' });
    const byPhone = await v.api.createProfile({ phone: '+31611111111', first_name: 'Three' });
    const cases = [
      { body: { user_id: 'cus_1', email: 'two@example.com' }, expected: byReference },
      { body: { user_id: 'unknown', email: 'TWO@example.com', phone: '+31611111111' }, expected: byEmail },
      { body: { email: 'nobody@example.com', phone: '06 1111 1111' }, expected: byPhone },
      { body: { phone: '+31611111111', name: 'Somebody Else' }, expected: byPhone },
    ];
    for (const { body, expected } of cases) {
      const token = newToken();
      assertReceived(await v.post('/v1/public/identifications', { session: token, ...body }));
      const profile = await profileOfSession(v, token);
      assert.equal(profile?.id, expected, JSON.stringify(body));
    }
    assert.equal((await v.api.profile(byPhone)).first_name, 'Three', 'a public caller changes no profile');
    assert.deepEqual((await v.api.profile(byEmail)).emails, ['two@example.com']);
    assert.equal((await v.api.profiles()).length, 3, 'no profile was created');
  });

  test("identifying again as the same visitor changes nothing; as another visitor it is 422 session_assigned_to_another_profile and the first visitor's history stays theirs", async () => {
    for (const encoding of BROWSER_ENCODINGS) {
      const v = await visitor(t);
      assert.equal((await v.api.post('/attribution/actions', { name: 'page.visited' })).status, 201);
      const token = newToken();
      assertReceived(await v.post('/v1/public/identifications', { session: token, user_id: 'u1', email: 'one@example.com' }, { encoding }));
      assertReceived(await v.post('/v1/track/events', { session: token, action: 'page.visited' }, { encoding }));
      const first = await profileOfSession(v, token);
      assert.ok(first);
      const trail = async () => (await v.api.get<{ activity: ActivityJson[] }>(`/profiles/${first.id}/activity`)).body.activity.length;
      const entries = await trail();

      for (const again of [{ user_id: 'u1' }, { email: 'ONE@example.com' }]) {
        assertReceived(await v.post('/v1/public/identifications', { session: token, ...again }, { encoding }));
        assert.equal((await profileOfSession(v, token))?.id, first.id);
      }
      assert.equal(await trail(), entries, 'the same visitor again adds nothing to the trail');

      // A shared device: another customer signs in on the browser that holds the first one's session.
      const existing = await v.api.createProfile({ email: 'two@example.com' });
      for (const other of [{ email: 'two@example.com' }, { user_id: 'u3', email: 'three@example.com' }]) {
        const res = await v.post('/v1/public/identifications', { session: token, ...other }, { encoding });
        assertPublicError(res, 422, 'session_assigned_to_another_profile', 'session');
        assert.ok(!/profile":|one@example/i.test(res.text), 'the answer names no profile');
      }
      assert.equal((await profileOfSession(v, token))?.id, first.id, 'the session stays with the first visitor');
      const events = await v.api.get<{ events: Array<{ profile: string | null }> }>(`/attribution/events?session=${token}`);
      assert.deepEqual(
        events.body.events.map((event) => event.profile),
        [first.id],
        'and so do its events',
      );
      assert.deepEqual((await v.api.profiles()).map((profile) => profile.id).sort(), [first.id, existing].sort(), 'no profile was created for the refused visitor');

      // The tracker's answer to that refusal: a new session, identified as the new visitor.
      const fresh = newToken();
      assertReceived(await v.post('/v1/public/identifications', { session: fresh, email: 'two@example.com' }, { encoding }));
      assert.equal((await profileOfSession(v, fresh))?.id, existing);
    }
  });

  test('a session acked before is the one attached; an unseen token is created and attached', async () => {
    const v = await visitor(t);
    const acked = newToken();
    assertReceived(await v.post('/v1/public/acks', { session: acked }));
    const before = await v.session(acked);
    assertReceived(await v.post('/v1/public/identifications', { session: acked, email: 'acked@example.com' }));
    const after = await v.session(acked);
    assert.equal(after?.id, before?.id);
    assert.ok(after?.profile_id);

    const unseen = newToken();
    assertReceived(await v.post('/v1/public/identifications', { session: unseen, email: 'acked@example.com' }));
    assert.equal((await v.session(unseen))?.profile_id, after.profile_id);
  });

  test('errors: session missing (400), malformed (422), no user_id/email/phone (422), a bad email or phone (422)', async () => {
    const v = await visitor(t);
    for (const encoding of BROWSER_ENCODINGS) {
      assertPublicError(await v.post('/v1/public/identifications', { email: 'a@example.com' }, { encoding }), 400, 'parameter_missing', 'session');
      assertPublicError(await v.post('/v1/public/identifications', { session: 'zz-zzzzz', email: 'a@example.com' }, { encoding }), 422, 'invalid', 'session');
      assertPublicError(await v.post('/v1/public/identifications', { session: newToken(), name: 'No Identifier' }, { encoding }), 422, 'object_invalid');
      assertPublicError(await v.post('/v1/public/identifications', { session: newToken(), email: 'not an email' }, { encoding }), 422, 'invalid', 'email');
      assertPublicError(await v.post('/v1/public/identifications', { session: newToken(), phone: 'call me' }, { encoding }), 422, 'invalid', 'phone');
      assertPublicError(await v.post('/v1/public/identifications', { session: newToken(), email: ['a@example.com'] }, { encoding }), 422, 'invalid', 'email');
    }
    assert.equal((await v.api.profiles()).length, 0, 'nothing was created by a refused identification');
  });

  test('tenant isolation: the same token and email at business B make B its own profile and session; A is untouched', async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    const aProfile = await a.api.createProfile({ email: 'shared@example.com', reference: 'cus_shared' });
    const token = newToken();
    assertReceived(await a.post('/v1/public/identifications', { session: token, user_id: 'cus_shared' }));
    assertReceived(await b.post('/v1/public/identifications', { session: token, user_id: 'cus_shared', email: 'shared@example.com' }));
    assert.equal((await profileOfSession(a, token))?.id, aProfile);
    const ofB = await profileOfSession(b, token);
    assert.ok(ofB);
    assert.equal((await b.api.profiles()).length, 1);
    assert.equal((await a.api.profiles()).length, 1);
    assert.notEqual((await a.session(token))?.id, (await b.session(token))?.id);
    assert.equal((await a.api.get(`/profiles/${ofB.id}`)).status, 404, "B's profile is not A's");
  });
});
