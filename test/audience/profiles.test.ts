import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  audienceApp,
  LIST_KEYS,
  PROFILE_EXTENSION_KEYS,
  PROFILE_KEYS,
  sortedKeys,
  tenant,
  type ActivityJson,
  type AudienceApp,
  type ProfileJson,
  type PropertyJson,
} from './audience-client.js';

/** POST/GET/PATCH/DELETE /v1/profiles, subscribe/unsubscribe, the object's shape and the activity trail. */
describe('profiles', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('POST answers 201 with only the id; GET answers the documented profile object', async () => {
    const api = await tenant(t);
    await api.createList('Greens');
    const res = await api.post<{ id: string }>('/profiles', { first_name: 'Will E', last_name: 'Coyote', phone: '+59899000001', email: 'will.e@acme.com', lists: ['Greens'] });
    assert.equal(res.status, 201);
    assert.deepEqual(sortedKeys(res.body), ['id']);
    assert.match(res.body.id, /^[A-Za-z0-9]{8}$/);

    const got = await api.get<ProfileJson>(`/profiles/${res.body.id}`);
    assert.equal(got.status, 200);
    const profile = got.body;
    assert.deepEqual(sortedKeys(profile), [...PROFILE_KEYS, ...PROFILE_EXTENSION_KEYS].sort());
    assert.equal(profile.id, res.body.id);
    assert.equal(profile.type, 'profile');
    assert.equal(profile.blocked, false);
    assert.equal(profile.created_at, t.clock.seconds, 'epoch seconds');
    assert.deepEqual(profile.emails, ['will.e@acme.com']);
    assert.deepEqual(profile.phones, ['+59899000001']);
    assert.equal(profile.first_name, 'Will E');
    assert.equal(profile.last_name, 'Coyote');
    assert.equal(profile.state, 'unconfirmed');
    assert.deepEqual(profile.verified_emails, []);
    assert.deepEqual(profile.verified_phones, []);
    assert.equal(profile.lists.length, 1);
    assert.deepEqual(sortedKeys(profile.lists[0] ?? {}), [...LIST_KEYS].sort());
    assert.equal(profile.lists[0]?.type, 'list');
    // phone, email (then mercadolibre) come before all other properties; both carry `verified`.
    assert.deepEqual(
      profile.properties.map((property) => [property.kind, sortedKeys(property)]),
      [
        ['phone', ['id', 'kind', 'name', 'value', 'verified']],
        ['email', ['id', 'kind', 'name', 'value', 'verified']],
      ],
    );
    // Extensions: the time zone follows the default phone's country (UY), else the business's.
    assert.equal(profile.timezone, 'America/Montevideo');
    const plain = await api.profile(await api.createProfile({}));
    assert.equal(plain.timezone, 'Europe/Amsterdam');
    assert.equal(plain.first_name, null);
    assert.deepEqual([plain.emails, plain.phones, plain.lists, plain.properties], [[], [], [], []]);
  });

  test('properties show phones, emails and mercadolibre first (each by position), then the others by position', async () => {
    const api = await tenant(t);
    await api.createProperty({ kind: 'text', name: 'Notes' });
    const id = await api.createProfile({
      property: { Notes: 'note', company: 'ACME', gender: 'female', birthday: '1985-11-03', mercadolibre: 'WILLE900001' },
      email: 'first@acme.example',
      phone: '0612345678',
    });
    await api.updateProfile(id, { email: { work: 'second@acme.example' }, phone: { mobile: '0687654321' } });
    let profile = await api.profile(id);
    assert.deepEqual(
      profile.properties.map((p) => p.name ?? p.kind),
      ['phone', 'mobile', 'email', 'work', 'mercadolibre', 'birthday', 'company', 'gender', 'Notes'],
    );
    // Moving a business-wide property moves it on every profile.
    const gender = (await api.get<{ properties: PropertyJson[] }>('/properties')).body.properties.find((p) => p.kind === 'gender');
    assert.ok(gender);
    await api.patch(`/properties/${gender.id}`, { position: 1 });
    profile = await api.profile(id);
    assert.deepEqual(
      profile.properties.map((p) => p.name ?? p.kind).slice(5),
      ['gender', 'birthday', 'company', 'Notes'],
    );
  });

  test('a POST or PATCH without any body is a profile without parameters', async () => {
    const api = await tenant(t);
    const created = await t.app.inject({ method: 'POST', url: '/v1/profiles', headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(created.statusCode, 201, created.body);
    const id = (JSON.parse(created.body) as { id: string }).id;
    const updated = await t.app.inject({ method: 'PATCH', url: `/v1/profiles/${id}`, headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual(JSON.parse(updated.body), { id, updated: true });
  });

  test('PATCH answers exactly {id, updated: true} and changes only what it names', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.example' });
    const res = await api.patch<Record<string, unknown>>(`/profiles/${id}`, { last_name: 'Smith' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, updated: true });
    const profile = await api.profile(id);
    assert.deepEqual([profile.first_name, profile.last_name, profile.emails], ['Ann', 'Smith', ['ann@acme.example']]);
    assert.equal((await api.updateProfile(id, { first_name: '  Anna  ' })).first_name, 'Anna', 'names are trimmed');
    assertError(await api.patch(`/profiles/${id}`, { first_name: 'x'.repeat(201) }), 422, 'invalid', 'first_name');
  });

  test('subscribe and unsubscribe answer the profile object with its new state', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ email: 'ann@acme.example' });
    const subscribed = await api.post<ProfileJson>(`/profiles/${id}/subscribe`);
    assert.equal(subscribed.status, 200);
    assert.deepEqual(sortedKeys(subscribed.body), [...PROFILE_KEYS, ...PROFILE_EXTENSION_KEYS].sort());
    assert.equal(subscribed.body.state, 'subscribed');
    assert.deepEqual(subscribed.body.emails, ['ann@acme.example']);
    const again = await api.post<ProfileJson>(`/profiles/${id}/subscribe`);
    assert.equal(again.body.state, 'subscribed', 'idempotent');
    const unsubscribed = await api.post<ProfileJson>(`/profiles/${id}/unsubscribe`);
    assert.equal(unsubscribed.status, 200);
    assert.equal(unsubscribed.body.state, 'unsubscribed');
    assert.equal((await api.profile(id)).state, 'unsubscribed');
    // With a JSON or form content type and an empty body too.
    const form = await t.app.inject({
      method: 'POST',
      url: `/v1/profiles/${id}/subscribe`,
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(form.statusCode, 200, form.body);
  });

  test('DELETE clears the profile (properties and names go; lists, state and trail stay); subscribe restores it', async () => {
    const api = await tenant(t);
    await api.createProperty({ kind: 'text', name: 'Notes' });
    const id = await api.createProfile({
      first_name: 'Will E',
      last_name: 'Coyote',
      email: 'will.e@acme.com',
      phone: '0612345678',
      address: { city: 'Amsterdam' },
      property: { Notes: 'VIP', gender: 'male' },
      lists: ['Greens'],
    });
    await api.post(`/profiles/${id}/unsubscribe`);
    const res = await api.delete<Record<string, unknown>>(`/profiles/${id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, type: 'profile', deleted: true });

    const cleared = await api.profile(id);
    assert.deepEqual([cleared.first_name, cleared.last_name], [null, null]);
    assert.deepEqual([cleared.emails, cleared.phones, cleared.properties, cleared.verified_emails], [[], [], [], []]);
    assert.deepEqual(cleared.lists.map((list) => list.name), ['Greens']);
    assert.equal(cleared.state, 'unsubscribed');
    const own = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${id}`);
    assert.deepEqual(own.body.properties, [], "the profile's own properties are deleted");
    const global = await api.get<{ properties: PropertyJson[] }>('/properties');
    assert.ok(global.body.properties.some((property) => property.name === 'Notes'), 'business-wide definitions stay');
    const trail = await api.get<{ activity: ActivityJson[] }>(`/profiles/${id}/activity?limit=100`);
    assert.equal(trail.body.activity[0]?.kind, 'cleared');
    assert.ok(trail.body.activity.some((entry) => entry.kind === 'created'), 'the trail is kept');

    assert.deepEqual((await api.delete(`/profiles/${id}`)).body, { id, type: 'profile', deleted: true }, 'clearing again is harmless');
    const restored = await api.post<ProfileJson>(`/profiles/${id}/subscribe`);
    assert.equal(restored.status, 200);
    assert.equal(restored.body.state, 'subscribed');
    const refilled = await api.updateProfile(id, { email: 'will.e@acme.com', first_name: 'Will E' });
    assert.deepEqual([refilled.emails, refilled.first_name], [['will.e@acme.com'], 'Will E']);
  });

  test('GET /v1/profiles wraps the profile objects in {profiles: […]}', async () => {
    const api = await tenant(t);
    const empty = await api.get<Record<string, unknown>>('/profiles');
    assert.deepEqual(empty.body, { profiles: [] });
    const id = await api.createProfile({ first_name: 'Ann' });
    const res = await api.get<{ profiles: ProfileJson[] }>('/profiles?limit=5');
    assert.deepEqual(sortedKeys(res.body), ['profiles']);
    assert.equal(res.body.profiles.length, 1);
    assert.deepEqual(res.body.profiles[0], await api.profile(id));
  });

  test('unknown, forged and malformed profile ids answer 404 not_found on every profile route', async () => {
    const api = await tenant(t);
    const real = await api.createProfile({});
    const list = await api.createList('Greens');
    const ids = ['abc', 'zzzzzzzz', t.ids.encode('profile', 2_000_000_000), list.id, `${real}x`, real.toLowerCase() === real ? real.toUpperCase() : real.toLowerCase(), '%20'];
    for (const id of ids) {
      for (const [method, path] of [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/subscribe'],
        ['POST', '/unsubscribe'],
        ['POST', '/block'],
        ['POST', '/unblock'],
        ['POST', '/verify'],
        ['DELETE', '/verify'],
        ['GET', '/activity'],
      ] as const) {
        const body = method === 'PATCH' ? { first_name: 'X' } : path === '/verify' ? { email: 'a@acme.example' } : undefined;
        const res = await api.request(method, `/profiles/${id}${path}`, body);
        assertError(res, 404, 'not_found');
      }
    }
  });

  test('the activity trail lists changes newest first, paginated like every collection', async () => {
    const api = await tenant(t);
    const id = await api.createProfile({ first_name: 'Ann' });
    t.clock.tick();
    await api.updateProfile(id, { email: 'ann@acme.example' });
    t.clock.tick();
    await api.createList('Greens');
    await api.post(`/lists/Greens/profiles/${id}`);
    t.clock.tick();
    await api.post(`/profiles/${id}/subscribe`);
    t.clock.tick();
    await api.post(`/profiles/${id}/verify`, { email: 'ann@acme.example' });
    t.clock.tick();
    await api.post(`/profiles/${id}/block`);

    const res = await api.get<{ activity: ActivityJson[] }>(`/profiles/${id}/activity`);
    assert.equal(res.status, 200);
    assert.deepEqual(sortedKeys(res.body), ['activity']);
    const all = res.body.activity;
    assert.deepEqual(
      all.map((entry) => entry.kind),
      ['blocked', 'verified', 'subscribed', 'list_added', 'property_changed', 'created'],
    );
    for (const entry of all) assert.deepEqual(sortedKeys(entry), ['data', 'id', 'kind', 'occurred_at', 'type']);
    const times = all.map((entry) => entry.occurred_at);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.deepEqual(all[4]?.data, { property: 'email', kind: 'email', value: 'ann@acme.example' });

    const ids = all.map((entry) => entry.id);
    const page = async (query: string) => (await api.get<{ activity: ActivityJson[] }>(`/profiles/${id}/activity${query}`)).body.activity.map((entry) => entry.id);
    assert.deepEqual(await page('?limit=2'), ids.slice(0, 2));
    assert.deepEqual(await page(`?limit=2&starting_after=${ids[1]}`), ids.slice(2, 4));
    assert.deepEqual(await page(`?limit=2&starting_after=${ids[3]}`), ids.slice(4, 6));
    assert.deepEqual(await page(`?limit=2&starting_after=${ids[5]}`), []);
    assert.deepEqual(await page(`?limit=2&ending_before=${ids[4]}`), ids.slice(2, 4));
    assert.deepEqual(await page(`?starting_after=${ids[0]}&ending_before=${ids[3]}`), ids.slice(1, 3));
    assertError(await api.get(`/profiles/${id}/activity?starting_after=zzzz-zzz`), 422, 'invalid', 'starting_after');
    // Another profile's trail is its own.
    const other = await api.createProfile({});
    assert.deepEqual(
      (await api.get<{ activity: ActivityJson[] }>(`/profiles/${other}/activity`)).body.activity.map((entry) => entry.kind),
      ['created'],
    );
  });
});
