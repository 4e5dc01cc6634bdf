import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, testApp, testBusiness, type TestApp } from '../support/app.js';

/** Edges found in review: names, uniqueness, built-ins, bounds, clearing, the trail. */
describe('audience hardening', () => {
  let t: TestApp;
  let h: Record<string, string>;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    const res = await t.app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const profile = async (payload: Record<string, unknown>) => (await call('POST', '/v1/profiles', payload)).body.id as string;

  before(async () => {
    t = await testApp();
    h = bearer((await testBusiness(t.core)).token);
  });
  after(() => t.close());

  test('names with accents are found by first_name and last_name, case and accents folded', async () => {
    const id = await profile({ first_name: 'Álvaro', last_name: 'Ávila' });
    for (const query of ['first_name=%C3%81lvaro', 'first_name=%C3%A1lvaro', 'first_name=alvaro', 'last_name=%C3%81vila']) {
      const found = await call('GET', `/v1/profiles?${query}`);
      assert.deepEqual(
        found.body.profiles.map((p: { id: string }) => p.id),
        [id],
        query,
      );
    }
  });

  test('alphabetical order is last name, then first name; nameless profiles last', async () => {
    const other = bearer((await testBusiness(t.core)).token);
    const make = (first: string | null, last: string | null) =>
      t.app.inject({ method: 'POST', url: '/v1/profiles', headers: other, payload: { first_name: first, last_name: last } });
    for (const [first, last] of [['Al', 'Smith Jones'], ['Zed', 'Smith'], [null, null], ['Eve', 'Ávila'], ['Bob', 'Zapata']] as const) await make(first, last);
    const res = await t.app.inject({ url: '/v1/profiles?order=alphabetically', headers: other });
    assert.deepEqual(
      res.json().profiles.map((p: { last_name: string | null; first_name: string | null }) => `${p.last_name}, ${p.first_name}`),
      ['Ávila, Eve', 'Smith, Zed', 'Smith Jones, Al', 'Zapata, Bob', 'null, null'],
    );
  });

  test('making a property unique while the same profile holds the value twice is 422, not 500', async () => {
    const id = await profile({ email: { login: 'same@acme.example', alt: 'same@acme.example' } });
    const props = (await call('GET', `/v1/properties?profile=${id}`)).body.properties as Array<{ id: string; name: string }>;
    const login = props.find((p) => p.name === 'login');
    const alt = props.find((p) => p.name === 'alt');
    assert.equal((await call('PATCH', `/v1/properties/${login?.id}`, { unique: true })).status, 200);
    const res = await call('PATCH', `/v1/properties/${alt?.id}`, { unique: true });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].type, 'parameter_not_unique');
  });

  test('names whose lower case is longer than themselves are stored, not a 500', async () => {
    const long = 'İ'.repeat(200);
    assert.equal((await call('POST', '/v1/lists', { name: long })).status, 201);
    assert.equal((await call('POST', '/v1/properties', { kind: 'text', name: `x${'İ'.repeat(199)}` })).status, 201);
    assert.equal((await call('POST', '/v1/profiles', { first_name: long, last_name: long })).status, 201);
  });

  test("another profile's property id in brackets is undefined_property, not a new name", async () => {
    const a = await profile({ email: 'a@acme.example' });
    const b = await profile({});
    const [aEmail] = (await call('GET', `/v1/properties?profile=${a}`)).body.properties as Array<{ id: string }>;
    const res = await call('PATCH', `/v1/profiles/${b}`, { email: { [aEmail?.id ?? '']: 'b@acme.example' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].type, 'undefined_property');
    assert.deepEqual((await call('GET', `/v1/profiles/${b}`)).body.emails, []);
  });

  test('the built-in properties cannot be deleted', async () => {
    const all = (await call('GET', '/v1/properties?limit=100')).body.properties as Array<{ id: string; kind: string; name: string | null }>;
    const gender = all.find((p) => p.kind === 'gender' && p.name === null);
    const res = await call('DELETE', `/v1/properties/${gender?.id}`);
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].type, 'not_allowed');
  });

  test('only built-in properties are read from top-level keys', async () => {
    await call('POST', '/v1/properties', { kind: 'text', name: 'State' });
    const id = await profile({ property: { State: 'kept' }, gender: 'female' });
    const sentBack = (await call('GET', `/v1/profiles/${id}`)).body;
    delete sentBack.lists;
    assert.equal((await call('PATCH', `/v1/profiles/${id}`, sentBack)).status, 200);
    const after = (await call('GET', `/v1/profiles/${id}`)).body;
    const state = after.properties.find((p: { name: string | null }) => p.name === 'State');
    assert.equal(state.value, 'kept');
    assert.equal(after.properties.find((p: { kind: string }) => p.kind === 'gender').value, 'female');
  });

  test('one request and one profile are bounded', async () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, `k${i}@acme.example`]));
    const res = await call('POST', '/v1/profiles', { email: many });
    assert.equal(res.status, 422);
    const id = await profile({ email: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `k${i}@acme.example`])) });
    const over = await call('PATCH', `/v1/profiles/${id}`, { email: { one_more: 'x@acme.example' } });
    assert.equal(over.status, 422);
    assert.equal(over.body.errors[0].type, 'not_allowed');
  });

  test('clearing a profile leaves it unsubscribed-until-restored and frees its reference', async () => {
    const id = await profile({ subscribe: true, reference: 'CUST-1', timezone: 'Asia/Tokyo', first_name: 'Kim' });
    await call('DELETE', `/v1/profiles/${id}`);
    const cleared = (await call('GET', `/v1/profiles/${id}`)).body;
    assert.equal(cleared.state, 'unconfirmed');
    assert.equal(cleared.reference, null);
    assert.equal(cleared.first_name, null);
    assert.equal((await call('POST', '/v1/profiles', { reference: 'CUST-1' })).status, 201);
    assert.equal((await call('POST', `/v1/profiles/${id}/subscribe`)).body.state, 'subscribed');
  });

  test('names of built-in properties are reserved; a mixed address hash is refused', async () => {
    for (const name of ['email', 'Gender', 'PHONE']) {
      const res = await call('POST', '/v1/properties', { kind: 'text', name });
      assert.equal(res.status, 422, name);
      assert.equal(res.body.errors[0].parameter, 'name');
    }
    const mixed = await call('POST', '/v1/profiles', { address: { city: 'Utrecht', work: { city: 'Delft' } } });
    assert.equal(mixed.status, 422);
    assert.equal(mixed.body.errors[0].parameter, 'address');
  });

  test('the trail records changes of names, reference, time zone and language', async () => {
    const id = await profile({ first_name: 'Ann' });
    await call('PATCH', `/v1/profiles/${id}`, { first_name: 'Anne', timezone: 'Europe/Paris', last_name: '' });
    const [latest] = (await call('GET', `/v1/profiles/${id}/activity`)).body.activity;
    assert.equal(latest.kind, 'profile_changed');
    assert.deepEqual(latest.data, { first_name: 'Anne', timezone: 'Europe/Paris' });
  });

  test('the trail records membership changes once, from every path', async () => {
    const id = await profile({ lists: ['Greens'] });
    await call('POST', `/v1/lists/Greens/profiles/${id}`);
    await call('PATCH', `/v1/profiles/${id}`, { lists: ['Blues'] });
    await call('DELETE', `/v1/lists/Blues/profiles/${id}`);
    await call('DELETE', `/v1/lists/Blues/profiles/${id}`);
    const kinds = (await call('GET', `/v1/profiles/${id}/activity`)).body.activity.map((a: { kind: string; data: { list?: string } }) => `${a.kind}:${a.data.list ?? ''}`);
    assert.deepEqual(kinds, ['list_removed:Blues', 'list_added:Blues', 'list_removed:Greens', 'list_added:Greens', 'created:']);
  });
});

describe('property search', () => {
  let t: TestApp;
  let h: Record<string, string>;
  before(async () => {
    t = await testApp();
    h = bearer((await testBusiness(t.core)).token);
  });
  after(() => t.close());

  test('finds a profile by one of its tags, an address field or a date', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/properties', headers: h, payload: { kind: 'tags', name: 'Interests' } });
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/profiles',
      headers: h,
      payload: { property: { Interests: ['VIP', 'early'], birthday: '1985-11-03' }, address: { city: 'Montevideo', country: 'UY' } },
    });
    const id = created.json().id;
    for (const value of ['vip', 'Early', 'montevideo', '1985-11-03', '11-03']) {
      const res = await t.app.inject({ url: `/v1/profiles?property=${encodeURIComponent(value)}`, headers: h });
      assert.deepEqual(
        res.json().profiles.map((p: { id: string }) => p.id),
        [id],
        value,
      );
    }
    const none = await t.app.inject({ url: '/v1/profiles?property=vi', headers: h });
    assert.deepEqual(none.json().profiles, [], 'whole terms only');
    await t.app.inject({ method: 'PATCH', url: `/v1/profiles/${id}`, headers: h, payload: { property: { Interests: ['late'] } } });
    const replaced = await t.app.inject({ url: '/v1/profiles?property=vip', headers: h });
    assert.deepEqual(replaced.json().profiles, [], 'the terms of a replaced value go with it');
  });
});
