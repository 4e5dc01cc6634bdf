import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, propertyOf, tenant, type Api, type AudienceApp, type ListJson, type PropertyJson, type SuppressionJson } from './audience-client.js';

/**
 * Tenant isolation on every audience route: another business's profile, property and list
 * ids (and list names) answer 404 and change nothing; collections and searches never show
 * another business's objects.
 */
describe('tenant isolation', () => {
  let t: AudienceApp;
  let owner: Api;
  let intruder: Api;
  /** The owner's objects. */
  let profile: string;
  let secret: PropertyJson;
  let work: string;
  let list: ListJson;

  /** Everything the owner can see, to compare before and after the intruder's attempts. */
  async function ownerView(): Promise<unknown> {
    return {
      profile: await owner.profile(profile),
      profiles: await owner.profiles(),
      properties: (await owner.get('/properties?limit=100')).body,
      own: (await owner.get(`/properties?profile=${profile}`)).body,
      lists: (await owner.get('/lists')).body,
      suppressions: (await owner.get('/suppressions')).body,
      activity: (await owner.get(`/profiles/${profile}/activity?limit=100`)).body,
    };
  }

  before(async () => {
    t = await audienceApp();
    owner = await tenant(t);
    intruder = await tenant(t);
    secret = await owner.createProperty({ kind: 'text', name: 'Secret', unique: true });
    list = await owner.createList('Owners');
    profile = await owner.createProfile({
      first_name: 'Olive',
      last_name: 'Owner',
      email: 'olive@owner.example',
      phone: '0612345678',
      property: { Secret: 'S-1' },
      lists: ['Owners'],
    });
    const updated = await owner.updateProfile(profile, { email: { work: 'olive@work.example' } });
    const workProperty = propertyOf(updated, 'email', 'work');
    assert.ok(workProperty);
    work = workProperty.id;
    await owner.post(`/profiles/${profile}/verify`, { email: 'olive@owner.example' });
    await owner.post('/suppressions', { address: 'secret@owner.example' });
  });
  after(() => t.close());

  test("another business's profile id answers 404 on every profile route and changes nothing", async () => {
    const before = await ownerView();
    const attempts: Array<[method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Record<string, unknown>]> = [
      ['GET', `/profiles/${profile}`],
      ['PATCH', `/profiles/${profile}`, { first_name: 'Hacked', email: 'evil@intruder.example', lists: [] }],
      ['DELETE', `/profiles/${profile}`],
      ['POST', `/profiles/${profile}/subscribe`],
      ['POST', `/profiles/${profile}/unsubscribe`],
      ['POST', `/profiles/${profile}/block`],
      ['POST', `/profiles/${profile}/unblock`],
      ['POST', `/profiles/${profile}/verify`, { phone: '0612345678' }],
      ['DELETE', `/profiles/${profile}/verify`, { email: 'olive@owner.example' }],
      ['GET', `/profiles/${profile}/activity`],
    ];
    for (const [method, path, body] of attempts) assertError(await intruder.request(method, path, body), 404, 'not_found');
    assert.deepEqual(await ownerView(), before);
  });

  test("another business's profiles never appear in its collection or searches", async () => {
    await intruder.createProfile({ first_name: 'Ivan' });
    const seen = await intruder.profileIds('?limit=100');
    assert.ok(!seen.includes(profile));
    for (const query of ['email=olive@owner.example', 'email=olive@work.example', 'phone=0612345678', 'first_name=Olive', 'last_name=Owner', 'property=S-1', 'property=olive@owner.example']) {
      for (const order of ['activity', 'alphabetically', 'created_at']) assert.deepEqual(await intruder.profileIds(`?${query}&order=${order}`), [], query);
    }
    assertError(await intruder.get(`/profiles?starting_after=${profile}`), 422, 'invalid', 'starting_after');
    assertError(await intruder.get(`/profiles?order=alphabetically&ending_before=${profile}`), 422, 'invalid', 'ending_before');
  });

  test("another business's properties answer 404, cannot be set, and are not listed", async () => {
    const before = await ownerView();
    for (const id of [secret.id, work]) {
      assertError(await intruder.get(`/properties/${id}`), 404, 'not_found');
      assertError(await intruder.patch(`/properties/${id}`, { name: 'Hacked', position: 1, unique: false }), 404, 'not_found');
      assertError(await intruder.delete(`/properties/${id}`), 404, 'not_found');
    }
    assertError(await intruder.get(`/properties?profile=${profile}`), 404, 'not_found', 'profile');
    assertError(await intruder.post('/properties', { kind: 'email', name: 'backdoor', profile }), 404, 'not_found', 'profile');
    const listed = await intruder.get<{ properties: PropertyJson[] }>('/properties?limit=100');
    assert.ok(listed.body.properties.every((property) => ![secret.id, work].includes(property.id) && property.name !== 'Secret'));

    const mine = await intruder.createProfile({});
    assertError(await intruder.patch(`/profiles/${mine}`, { property_by_id: { [secret.id]: 'x' } }), 422, 'undefined_property', `property_by_id[${secret.id}]`);
    assertError(await intruder.patch(`/profiles/${mine}`, { property: { Secret: 'x' } }), 422, 'undefined_property', 'property[Secret]');
    assertError(await intruder.post('/profiles', { property_by_id: { [work]: 'x' } }), 422, 'undefined_property');
    // email[ID] with the owner's property id can only ever name a property of this profile.
    await intruder.patch(`/profiles/${mine}`, { email: { [work]: 'evil@intruder.example' } });
    // Names and unique values are per business.
    await intruder.createProperty({ kind: 'text', name: 'Secret', unique: true });
    assert.equal(propertyOf(await intruder.updateProfile(mine, { property: { Secret: 'S-1' } }), 'text')?.value, 'S-1');
    assert.deepEqual(await ownerView(), before);
  });

  test("another business's list answers 404 by id and by name, and its memberships are out of reach", async () => {
    const before = await ownerView();
    const mine = await intruder.createProfile({});
    for (const ref of [list.id, 'Owners', 'owners']) {
      assertError(await intruder.get(`/lists/${ref}`), 404, 'not_found');
      assertError(await intruder.patch(`/lists/${ref}`, { name: 'Hacked' }), 404, 'not_found');
      assertError(await intruder.delete(`/lists/${ref}`), 404, 'not_found');
      for (const method of ['POST', 'DELETE'] as const) {
        assertError(await intruder.request(method, `/lists/${ref}/profiles/${profile}`), 404, 'not_found');
        assertError(await intruder.request(method, `/lists/${ref}/profiles/${mine}`), 404, 'not_found');
      }
    }
    const own = await intruder.createList('Intruders');
    for (const method of ['POST', 'DELETE'] as const) {
      assertError(await intruder.request(method, `/lists/${own.id}/profiles/${profile}`), 404, 'not_found', 'profile');
    }
    const lists = await intruder.get<{ lists: ListJson[] }>('/lists');
    assert.deepEqual(lists.body.lists.map((l) => l.name), ['Intruders']);
    // `lists` on a profile names the intruder's own lists: a new one called Owners.
    const joined = await intruder.updateProfile(mine, { lists: ['Owners'] });
    assert.equal(joined.lists.length, 1);
    assert.notEqual(joined.lists[0]?.id, list.id);
    assert.deepEqual(await ownerView(), before);
  });

  test("another business's suppressions are neither listed nor removable", async () => {
    const before = await ownerView();
    const listed = await intruder.get<{ suppressions: SuppressionJson[] }>('/suppressions');
    assert.ok(listed.body.suppressions.every((entry) => entry.address !== 'secret@owner.example'));
    assertError(await intruder.delete(`/suppressions/${encodeURIComponent('secret@owner.example')}`), 404, 'not_found', 'address');
    const own = await intruder.post<SuppressionJson>('/suppressions', { address: 'secret@owner.example', reason: 'mine' });
    assert.equal(own.status, 201);
    assert.equal(own.body.reason, 'mine', 'its own entry, not the owner’s');
    assert.equal((await intruder.delete(`/suppressions/${encodeURIComponent('secret@owner.example')}`)).status, 200);
    assert.deepEqual(await ownerView(), before);
  });

  test('every audience route needs a valid key', async () => {
    const routes: Array<[method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string]> = [
      ['POST', '/v1/profiles'],
      ['GET', '/v1/profiles'],
      ['GET', `/v1/profiles/${profile}`],
      ['PATCH', `/v1/profiles/${profile}`],
      ['DELETE', `/v1/profiles/${profile}`],
      ['POST', `/v1/profiles/${profile}/subscribe`],
      ['POST', `/v1/profiles/${profile}/unsubscribe`],
      ['POST', `/v1/profiles/${profile}/block`],
      ['POST', `/v1/profiles/${profile}/unblock`],
      ['POST', `/v1/profiles/${profile}/verify`],
      ['DELETE', `/v1/profiles/${profile}/verify`],
      ['GET', `/v1/profiles/${profile}/activity`],
      ['POST', '/v1/properties'],
      ['GET', '/v1/properties'],
      ['GET', `/v1/properties/${secret.id}`],
      ['PATCH', `/v1/properties/${secret.id}`],
      ['DELETE', `/v1/properties/${secret.id}`],
      ['POST', '/v1/lists'],
      ['GET', '/v1/lists'],
      ['GET', `/v1/lists/${list.id}`],
      ['PATCH', `/v1/lists/${list.id}`],
      ['DELETE', `/v1/lists/${list.id}`],
      ['POST', `/v1/lists/${list.id}/profiles/${profile}`],
      ['DELETE', `/v1/lists/${list.id}/profiles/${profile}`],
      ['GET', '/v1/suppressions'],
      ['POST', '/v1/suppressions'],
      ['DELETE', '/v1/suppressions/secret%40owner.example'],
    ];
    const before = await ownerView();
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Bearer not-a-key' }]) {
        const res = await t.app.inject({ method, url, headers });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.equal((JSON.parse(res.body) as { errors: Array<{ type: string }> }).errors[0]?.type, 'unauthorized');
      }
    }
    assert.deepEqual(await ownerView(), before);
  });
});
