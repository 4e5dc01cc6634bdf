import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, PROPERTY_KEYS, propertyOf, sortedKeys, tenant, type Api, type AudienceApp, type PropertyJson, type Reply } from './audience-client.js';

/** POST/GET/PATCH/DELETE /v1/properties: shapes, name and position rules, profile scope, uniqueness. */
describe('properties', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  /** Business-wide properties as `name ?? kind` → position. */
  async function positions(api: Api): Promise<Record<string, number>> {
    const res = await api.get<{ properties: PropertyJson[] }>('/properties?limit=100');
    assert.equal(res.status, 200, res.text);
    return Object.fromEntries(res.body.properties.map((property) => [property.name ?? property.kind, property.position]));
  }

  test('the property object: create 201, retrieve, update, delete, list newest first', async () => {
    const api = await tenant(t);
    const created = await api.post<PropertyJson>('/properties', { kind: 'text', name: 'My Property' });
    assert.equal(created.status, 201);
    assert.deepEqual(sortedKeys(created.body), [...PROPERTY_KEYS].sort());
    assert.deepEqual({ ...created.body, id: '-' }, {
      id: '-',
      type: 'property',
      created_at: t.clock.seconds,
      kind: 'text',
      name: 'My Property',
      position: 4,
      profile: null,
      unique: false,
    });
    const id = created.body.id;
    assert.deepEqual(await api.property(id), created.body);

    const renamed = await api.patch<PropertyJson>(`/properties/${id}`, { name: 'My Renamed Property' });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body, { ...created.body, name: 'My Renamed Property' });

    const all = await api.get<{ properties: PropertyJson[] }>('/properties');
    assert.deepEqual(sortedKeys(all.body), ['properties']);
    assert.deepEqual(
      all.body.properties.map((property) => property.name ?? property.kind),
      ['My Renamed Property', 'gender', 'company', 'birthday'],
      'every business starts with unnamed birthday, company and gender; newest first',
    );
    const page = await api.get<{ properties: PropertyJson[] }>(`/properties?limit=2&starting_after=${all.body.properties[1]?.id}`);
    assert.deepEqual(page.body.properties.map((property) => property.kind), ['company', 'birthday']);

    const profile = await api.createProfile({ property: { 'My Renamed Property': 'hello' } });
    const deleted = await api.delete<Record<string, unknown>>(`/properties/${id}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { id, type: 'property', deleted: true });
    assertError(await api.get(`/properties/${id}`), 404, 'not_found');
    assertError(await api.patch(`/properties/${id}`, { name: 'x' }), 404, 'not_found');
    assertError(await api.delete(`/properties/${id}`), 404, 'not_found');
    assert.deepEqual((await api.profile(profile)).properties, [], 'its values went with it');
  });

  test('unknown, forged and malformed property ids answer 404 not_found', async () => {
    const api = await tenant(t);
    const list = await api.createList('Greens');
    const real = await api.createProperty({ kind: 'text', name: 'Real' });
    for (const id of ['abc', 'zzzzzzzz', list.id, `${real.id}x`, t.ids.encode('property', 2_000_000_000), '%20']) {
      assertError(await api.get(`/properties/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/properties/${id}`, { name: 'Renamed' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/properties/${id}`), 404, 'not_found', 'id');
    }
    assert.deepEqual(await api.property(real.id), real);
  });

  test('forms and JSON create and update alike', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const made = await api.createProperty({ kind: 'number', name: 'Score', unique: true, position: 2 });
      assert.deepEqual([made.kind, made.name, made.unique, made.position], ['number', 'Score', true, 2], encoding);
      const moved = await api.patch<PropertyJson>(`/properties/${made.id}`, { position: '', unique: false });
      assert.deepEqual([moved.body.position, moved.body.unique], [4, false], encoding);
    }
  });

  test('kind is required and must be a creatable kind', async () => {
    const api = await tenant(t);
    assertError(await api.post('/properties', { name: 'Nameless kind' }), 400, 'parameter_missing', 'kind');
    for (const kind of ['color', 'birthday', 'gender', 'company', 'mercadolibre', 'list', '']) {
      assertError(await api.post('/properties', { kind, name: `Kind ${kind}` }), 422, 'invalid', 'kind');
    }
    for (const kind of ['checkbox', 'date', 'number', 'tags', 'text', 'url']) {
      assert.equal((await api.createProperty({ kind })).kind, kind);
    }
  });

  test('a POST without any body is 400 parameter_missing kind', async () => {
    const api = await tenant(t);
    const res = await t.app.inject({ method: 'POST', url: '/v1/properties', headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal((JSON.parse(res.body) as { errors: Array<{ type: string; parameter: string }> }).errors[0]?.parameter, 'kind');
  });

  test('names: no duplicates (ignoring case), no leading number, no curly brackets', async () => {
    const api = await tenant(t);
    const active = await api.createProperty({ kind: 'checkbox', name: 'Active' });
    assertError(await api.post('/properties', { kind: 'text', name: 'active' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.post('/properties', { kind: 'text', name: ' ACTIVE ' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.post('/properties', { kind: 'text', name: '1st-name' }), 422, 'invalid', 'name');
    assertError(await api.post('/properties', { kind: 'text', name: '{name}' }), 422, 'invalid', 'name');
    assertError(await api.post('/properties', { kind: 'text', name: 'first {name' }), 422, 'invalid', 'name');
    assert.equal((await api.createProperty({ kind: 'text', name: 'name-1st' })).name, 'name-1st', 'digits later are fine');
    assertError(await api.post('/properties', { kind: 'text', name: 'x'.repeat(201) }), 422, 'invalid', 'name');
    const unnamed = await api.createProperty({ kind: 'text', name: '' });
    assert.equal(unnamed.name, null, 'an empty name is no name');

    const other = await api.createProperty({ kind: 'text', name: 'Other' });
    assertError(await api.patch(`/properties/${other.id}`, { name: 'ACTIVE' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.patch(`/properties/${other.id}`, { name: '2nd' }), 422, 'invalid', 'name');
    assertError(await api.patch(`/properties/${other.id}`, { name: '}' }), 422, 'invalid', 'name');
    assert.equal((await api.property(other.id)).name, 'Other', 'unchanged');
    const recased = await api.patch<PropertyJson>(`/properties/${active.id}`, { name: 'ACTIVE' });
    assert.equal(recased.status, 200, 'renaming to its own name in another case is no duplicate');
    assert.equal(recased.body.name, 'ACTIVE');
    // Names are per business.
    const elsewhere = await tenant(t);
    assert.equal((await elsewhere.createProperty({ kind: 'text', name: 'Active' })).name, 'Active');
  });

  test('positions: new ones go last, a given position moves the others, position= moves to the bottom', async () => {
    const api = await tenant(t);
    assert.deepEqual(await positions(api), { birthday: 1, company: 2, gender: 3 });
    const a = await api.createProperty({ kind: 'text', name: 'A' });
    assert.equal(a.position, 4);
    const b = await api.createProperty({ kind: 'text', name: 'B', position: 1 });
    assert.equal(b.position, 1);
    assert.deepEqual(await positions(api), { B: 1, birthday: 2, company: 3, gender: 4, A: 5 });

    const moved = await api.patch<PropertyJson>(`/properties/${b.id}`, { position: 3 });
    assert.equal(moved.body.position, 3);
    assert.deepEqual(await positions(api), { birthday: 1, company: 2, B: 3, gender: 4, A: 5 });
    await api.patch(`/properties/${a.id}`, { position: 1 });
    assert.deepEqual(await positions(api), { A: 1, birthday: 2, company: 3, B: 4, gender: 5 });

    const bottom = await api.patch<PropertyJson>(`/properties/${a.id}`, { position: '' });
    assert.equal(bottom.body.position, 5);
    assert.deepEqual(await positions(api), { birthday: 1, company: 2, B: 3, gender: 4, A: 5 });
    const past = await api.createProperty({ kind: 'url', name: 'C', position: 99 });
    assert.equal(past.position, 6, 'a position past the end is the end');
    const blank = await api.createProperty({ kind: 'url', name: 'D', position: '' });
    assert.equal(blank.position, 7);

    for (const position of [0, -1, 1.5, 'abc']) {
      assertError(await api.post('/properties', { kind: 'text', name: `P${String(position)}`, position }), 422, 'invalid', 'position');
      assertError(await api.patch(`/properties/${b.id}`, { position }), 422, 'invalid', 'position');
    }
    assert.equal((await api.property(b.id)).position, 3, 'unchanged');

    await api.delete(`/properties/${b.id}`);
    assert.deepEqual(await positions(api), { birthday: 1, company: 2, gender: 3, A: 4, C: 5, D: 6 }, 'deleting closes the gap');
  });

  test('address, email and phone properties require a profile, and belong to it only', async () => {
    const api = await tenant(t);
    for (const kind of ['address', 'email', 'phone']) {
      assertError(await api.post('/properties', { kind, name: 'work' }), 400, 'parameter_missing', 'profile');
    }
    const profile = await api.createProfile({ email: 'default@acme.example' });
    const other = await api.createProfile({});
    assertError(await api.post('/properties', { kind: 'text', name: 'Own text', profile }), 422, 'invalid', 'profile');
    assertError(await api.post('/properties', { kind: 'email', profile: 'zzzzzzzz' }), 404, 'not_found', 'profile');
    assertError(await api.post('/properties', { kind: 'email', profile: t.ids.encode('profile', 2_000_000_000) }), 404, 'not_found', 'profile');

    const work = await api.createProperty({ kind: 'email', name: 'work', profile });
    assert.deepEqual([work.kind, work.name, work.profile, work.position], ['email', 'work', profile, 2]);
    const phone = await api.createProperty({ kind: 'phone', profile });
    assert.deepEqual([phone.name, phone.position], [null, 1], 'each contactable kind has its own sequence');
    const address = await api.createProperty({ kind: 'address', name: 'home', profile });
    assert.equal(address.profile, profile);

    // The same name on another profile is fine; on the same profile it is a duplicate; it cannot shadow a business-wide name.
    assert.equal((await api.createProperty({ kind: 'email', name: 'work', profile: other })).profile, other);
    assertError(await api.post('/properties', { kind: 'phone', name: 'WORK', profile }), 422, 'parameter_not_unique', 'name');
    await api.createProperty({ kind: 'text', name: 'Shared' });
    assertError(await api.post('/properties', { kind: 'email', name: 'shared', profile }), 422, 'parameter_not_unique', 'name');

    const own = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${profile}`);
    assert.deepEqual(own.body.properties.map((p) => [p.kind, p.name, p.profile]).sort(), [
      ['address', 'home', profile],
      ['email', 'work', profile],
      ['email', null, profile],
      ['phone', null, profile],
    ].sort());
    const global = await api.get<{ properties: PropertyJson[] }>('/properties');
    assert.ok(global.body.properties.every((p) => p.profile === null));
    assertError(await api.get('/properties?profile=zzzzzzzz'), 404, 'not_found', 'profile');

    // Values are set from the profile: by id or by name; a new property at position 1 is the new default.
    await api.updateProfile(profile, { email: { [work.id]: 'work@acme.example' }, address: { home: { city: 'Utrecht' } } });
    const first = await api.createProperty({ kind: 'email', name: 'primary', profile, position: 1 });
    const updated = await api.updateProfile(profile, { email: { primary: 'primary@acme.example' } });
    assert.deepEqual(updated.emails, ['primary@acme.example', 'default@acme.example', 'work@acme.example']);
    assert.equal(first.position, 1);
    assert.equal((propertyOf(updated, 'address', 'home')?.value as { city: string }).city, 'Utrecht');
    // Moving an email property reorders the profile's emails.
    await api.patch(`/properties/${work.id}`, { position: 1 });
    assert.deepEqual((await api.profile(profile)).emails, ['work@acme.example', 'primary@acme.example', 'default@acme.example']);
    // Deleting the default email property promotes the next one.
    await api.delete(`/properties/${work.id}`);
    assert.deepEqual((await api.profile(profile)).emails, ['primary@acme.example', 'default@acme.example']);
    const left = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${profile}`);
    assert.deepEqual(left.body.properties.filter((p) => p.kind === 'email').map((p) => p.position).sort(), [1, 2]);
  });

  test('unique: two profiles never hold the same value; the same profile may set it again', async () => {
    const api = await tenant(t);
    const member = await api.createProperty({ kind: 'text', name: 'Member', unique: true });
    assert.equal(member.unique, true);
    await api.createProperty({ kind: 'number', name: 'Ticket', unique: true });
    const ann = await api.createProfile({ property: { Member: 'M-1', Ticket: 29.99 } });
    const bob = await api.createProfile({});

    assertError(await api.patch(`/profiles/${bob}`, { property: { Member: 'm-1' } }), 422, 'parameter_not_unique', 'property[Member]');
    assertError(await api.patch(`/profiles/${bob}`, { property_by_id: { [member.id]: ' M-1 ' } }), 422, 'parameter_not_unique', `property_by_id[${member.id}]`);
    assertError(await api.patch(`/profiles/${bob}`, { property: { Ticket: '29.990' } }), 422, 'parameter_not_unique', 'property[Ticket]');
    assertError(await api.post('/profiles', { first_name: 'Carl', property: { Member: 'M-1' } }), 422, 'parameter_not_unique', 'property[Member]');
    assert.equal((await api.profileIds()).length, 2, 'the refused create left no profile behind');
    assert.equal((await api.updateProfile(ann, { property: { Member: 'M-1' } })).properties.length, 2, 'setting its own value again is fine');
    assert.equal(propertyOf(await api.updateProfile(bob, { property: { Member: 'M-2' } }), 'text')?.value, 'M-2');

    // A cleared profile frees its values; a changed value frees the old one.
    await api.updateProfile(ann, { property: { Member: 'M-3' } });
    assert.equal(propertyOf(await api.updateProfile(bob, { property: { Member: 'M-1' } }), 'text')?.value, 'M-1');
    await api.delete(`/profiles/${ann}`);
    assert.equal(propertyOf(await api.updateProfile(bob, { property: { Ticket: 29.99 } }), 'number')?.value, 29.99);
  });

  test('unique profile-scoped emails conflict across profiles; non-unique ones do not', async () => {
    const api = await tenant(t);
    const ann = await api.createProfile({ email: 'shared@acme.example' });
    const bob = await api.createProfile({ email: 'shared@acme.example' });
    assert.deepEqual((await api.profile(bob)).emails, ['shared@acme.example'], 'plain emails may repeat');

    const annLogin = await api.createProperty({ kind: 'email', name: 'login', profile: ann, unique: true });
    assert.equal(annLogin.unique, true);
    await api.updateProfile(ann, { email: { login: 'login@acme.example' } });
    const bobLogin = await api.createProperty({ kind: 'email', name: 'login', profile: bob, unique: true });
    assertError(await api.patch(`/profiles/${bob}`, { email: { [bobLogin.id]: 'LOGIN@acme.example' } }), 422, 'parameter_not_unique', `email[${bobLogin.id}]`);
    assertError(await api.patch(`/profiles/${bob}`, { email: { login: 'login@acme.example' } }), 422, 'parameter_not_unique', 'email[login]');
    assert.deepEqual((await api.profile(bob)).emails, ['shared@acme.example']);

    // Bob's default email property cannot turn unique while Ann's unique login holds the same address.
    await api.updateProfile(bob, { email: 'login@acme.example' });
    const bobDefault = propertyOf(await api.profile(bob), 'email', null);
    assert.ok(bobDefault);
    assertError(await api.patch(`/properties/${bobDefault.id}`, { unique: true }), 422, 'parameter_not_unique', 'unique');
    assert.equal((await api.property(bobDefault.id)).unique, false);
  });

  /** Six profiles setting the same unique value at once; the replies, and who holds it afterwards. */
  async function race(): Promise<{ statuses: number[]; replies: Array<Reply<unknown>>; holders: string[] }> {
    const api = await tenant(t);
    await api.createProperty({ kind: 'text', name: 'Seat', unique: true });
    const profiles: string[] = [];
    for (let i = 0; i < 6; i++) profiles.push(await api.createProfile({}));
    const replies = await Promise.all(profiles.map((id) => api.patch(`/profiles/${id}`, { property: { Seat: 'A1' } })));
    const holders = (await api.profiles('?property=a1')).map((profile) => profile.id);
    return { statuses: replies.map((res) => res.status), replies, holders };
  }

  test('concurrent writers of one unique value: exactly one wins', async () => {
    const { statuses, holders } = await race();
    assert.equal(statuses.filter((status) => status === 200).length, 1, String(statuses));
    assert.equal(holders.length, 1);
  });

  test(
    'concurrent writers of one unique value: the others get 422 parameter_not_unique, never a 500',
    async () => {
      const { statuses, replies } = await race();
      assert.deepEqual([...statuses].sort(), [200, 422, 422, 422, 422, 422], replies.map((res) => res.text).join('\n'));
      for (const res of replies.filter((reply) => reply.status === 422)) assertError(res, 422, 'parameter_not_unique', 'property[Seat]');
    },
  );

  test('turning a property unique fails while profiles share a value, and works once resolved', async () => {
    const api = await tenant(t);
    const code = await api.createProperty({ kind: 'text', name: 'Code' });
    await api.createProfile({ property: { Code: 'X' } });
    const bob = await api.createProfile({ property: { Code: 'x' } });
    const refused = await api.patch(`/properties/${code.id}`, { unique: true, name: 'Code renamed' });
    assertError(refused, 422, 'parameter_not_unique', 'unique');
    assert.match((refused.body as { errors: Array<{ message: string }> }).errors[0]?.message ?? '', /x/i, 'the message names the value');
    assert.deepEqual([(await api.property(code.id)).unique, (await api.property(code.id)).name], [false, 'Code'], 'nothing changed');

    await api.updateProfile(bob, { property: { Code: 'Y' } });
    const accepted = await api.patch<PropertyJson>(`/properties/${code.id}`, { unique: true });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.unique, true);
    assertError(await api.patch(`/profiles/${bob}`, { property: { Code: 'X' } }), 422, 'parameter_not_unique', 'property[Code]');

    const relaxed = await api.patch<PropertyJson>(`/properties/${code.id}`, { unique: false });
    assert.equal(relaxed.body.unique, false);
    assert.equal(propertyOf(await api.updateProfile(bob, { property: { Code: 'X' } }), 'text')?.value, 'X');
  });

  test('kinds that cannot be unique ignore the flag; the others accept it', async () => {
    const api = await tenant(t);
    for (const kind of ['checkbox', 'date', 'tags']) {
      const made = await api.createProperty({ kind, name: `Never unique ${kind}`, unique: true });
      assert.equal(made.unique, false, kind);
      const patched = await api.patch<PropertyJson>(`/properties/${made.id}`, { unique: true });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.unique, false, kind);
    }
    const defaults = (await api.get<{ properties: PropertyJson[] }>('/properties')).body.properties;
    for (const kind of ['birthday', 'gender']) {
      const property = defaults.find((p) => p.kind === kind);
      assert.ok(property);
      const patched = await api.patch<PropertyJson>(`/properties/${property.id}`, { unique: true });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.unique, false, kind);
    }
    const company = defaults.find((p) => p.kind === 'company');
    assert.ok(company);
    assert.equal((await api.patch<PropertyJson>(`/properties/${company.id}`, { unique: true })).body.unique, true);
    for (const kind of ['number', 'text', 'url']) assert.equal((await api.createProperty({ kind, name: `Unique ${kind}`, unique: true })).unique, true, kind);
    const profile = await api.createProfile({});
    for (const kind of ['address', 'email', 'phone']) assert.equal((await api.createProperty({ kind, profile, unique: true })).unique, true, kind);
    assertError(await api.post('/properties', { kind: 'text', name: 'Odd', unique: 'sometimes' }), 422, 'invalid', 'unique');
  });
});
