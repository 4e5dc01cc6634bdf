import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  audienceApp,
  ENCODINGS,
  propertyOf,
  tenant,
  valuesOf,
  withoutIds,
  type Api,
  type AudienceApp,
  type Encoding,
  type ProfileJson,
  type PropertyJson,
} from './audience-client.js';

/**
 * Every parameter form of POST/PATCH /v1/profiles, each sent as JSON and as a
 * bracket-notation form (the same scenarios run once per encoding).
 */

let t: AudienceApp;
before(async () => {
  t = await audienceApp();
});
after(() => t.close());

/** The business-wide properties the scenarios set, one of each settable kind. */
async function businessProperties(api: Api): Promise<Record<string, PropertyJson>> {
  const kinds = { Active: 'checkbox', Score: 'number', Tags: 'tags', Since: 'date', Website: 'url', Notes: 'text' };
  const made: Record<string, PropertyJson> = {};
  for (const [name, kind] of Object.entries(kinds)) made[name] = await api.createProperty({ kind, name });
  return made;
}

const idOf = (profile: ProfileJson, kind: string, name: string | null): string => {
  const property = propertyOf(profile, kind, name);
  assert.ok(property, `${kind} ${String(name)} in ${JSON.stringify(profile.properties)}`);
  return property.id;
};

for (const encoding of ENCODINGS) {
  describe(`profile parameters sent as ${encoding}`, () => {
    const fresh = () => tenant(t, encoding);

    test('email sets the default email, normalised; email[work] creates a named one for this profile', async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: '  Will.E@Acme.COM ', first_name: 'Will E', last_name: 'Coyote' });
      let profile = await api.profile(id);
      assert.deepEqual(profile.emails, ['will.e@acme.com']);
      assert.deepEqual(propertyOf(profile, 'email'), { id: profile.properties[0]?.id, kind: 'email', name: null, value: 'will.e@acme.com', verified: false });
      assert.equal(profile.first_name, 'Will E');
      assert.equal(profile.last_name, 'Coyote');

      profile = await api.updateProfile(id, { email: { work: 'will@work.example' } });
      assert.deepEqual(profile.emails, ['will.e@acme.com', 'will@work.example'], 'the default stays first');
      const work = idOf(profile, 'email', 'work');
      // The property belongs to this profile only.
      const own = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${id}`);
      assert.ok(own.body.properties.some((property) => property.id === work && property.profile === id && property.kind === 'email'));
      const global = await api.get<{ properties: PropertyJson[] }>('/properties');
      assert.ok(!global.body.properties.some((property) => property.id === work));

      profile = await api.updateProfile(id, { email: { work: 'will@new-work.example' } });
      assert.equal(idOf(profile, 'email', 'work'), work, 'email[work] updates the same property in place');
      assert.deepEqual(profile.emails, ['will.e@acme.com', 'will@new-work.example']);
      // The bracket name is found case-insensitively.
      profile = await api.updateProfile(id, { email: { WORK: 'will@third.example' } });
      assert.deepEqual(profile.emails, ['will.e@acme.com', 'will@third.example']);
    });

    test('email on create with only email[work] makes it the default', async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: { work: 'w@acme.example' } });
      const profile = await api.profile(id);
      assert.deepEqual(profile.emails, ['w@acme.example']);
      // Setting `email` now sets the default, which is the work email.
      const updated = await api.updateProfile(id, { email: 'x@acme.example' });
      assert.deepEqual(updated.emails, ['x@acme.example']);
    });

    test('email[PROPERTY_ID] sets and email[PROPERTY_ID]= removes that property', async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: 'one@acme.example' });
      let profile = await api.updateProfile(id, { email: { home: 'home@acme.example' } });
      const home = idOf(profile, 'email', 'home');
      profile = await api.updateProfile(id, { email: { [home]: 'HOME2@acme.example' } });
      assert.deepEqual(profile.emails, ['one@acme.example', 'home2@acme.example']);
      assert.equal(idOf(profile, 'email', 'home'), home);
      profile = await api.updateProfile(id, { email: { [home]: '' } });
      assert.deepEqual(profile.emails, ['one@acme.example']);
      const own = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${id}`);
      assert.ok(!own.body.properties.some((property) => property.id === home), 'the profile-scoped property is gone');
      // email[name]= removes by name too, and removing what is not there is no error.
      profile = await api.updateProfile(id, { email: { other: 'other@acme.example' } });
      assert.deepEqual(profile.emails, ['one@acme.example', 'other@acme.example']);
      profile = await api.updateProfile(id, { email: { other: '' } });
      assert.deepEqual(profile.emails, ['one@acme.example']);
      profile = await api.updateProfile(id, { email: { missing: '' } });
      assert.deepEqual(profile.emails, ['one@acme.example']);
    });

    test("email='' removes the default and the second email becomes the default", async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: 'first@acme.example' });
      await api.updateProfile(id, { email: { b: 'second@acme.example' } });
      await api.updateProfile(id, { email: { c: 'third@acme.example' } });
      let profile = await api.updateProfile(id, { email: '' });
      assert.deepEqual(profile.emails, ['second@acme.example', 'third@acme.example']);
      // `email` now targets the promoted one.
      profile = await api.updateProfile(id, { email: 'second-changed@acme.example' });
      assert.deepEqual(profile.emails, ['second-changed@acme.example', 'third@acme.example']);
      const own = await api.get<{ properties: PropertyJson[] }>(`/properties?profile=${id}`);
      const positions = own.body.properties.filter((p) => p.kind === 'email').map((p) => [p.name, p.position]);
      assert.deepEqual(positions.sort(), [['b', 1], ['c', 2]], 'positions close the gap');
      profile = await api.updateProfile(id, { email: '' });
      assert.deepEqual(profile.emails, ['third@acme.example']);
      profile = await api.updateProfile(id, { email: null });
      assert.deepEqual(profile.emails, [], 'null (an empty form value) removes too');
      profile = await api.updateProfile(id, { email: '' });
      assert.deepEqual(profile.emails, []);
    });

    test("email targets the profile's default email even when an empty email property sits above it", async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: 'shown@acme.example' });
      await api.createProperty({ kind: 'email', name: 'future', profile: id, position: 1 });
      assert.deepEqual((await api.profile(id)).emails, ['shown@acme.example']);
      assert.deepEqual((await api.updateProfile(id, { email: 'replaced@acme.example' })).emails, ['replaced@acme.example']);
      assert.deepEqual((await api.updateProfile(id, { email: '' })).emails, []);
    });

    test('new_default_email inserts a new default and keeps the old one second; an existing value is promoted', async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: 'old@acme.example' });
      let profile = await api.updateProfile(id, { new_default_email: 'New@acme.example' });
      assert.deepEqual(profile.emails, ['new@acme.example', 'old@acme.example']);
      profile = await api.updateProfile(id, { new_default_email: 'old@acme.example' });
      assert.deepEqual(profile.emails, ['old@acme.example', 'new@acme.example'], 'promoted, not duplicated');
      const created = await api.createProfile({ new_default_email: 'only@acme.example' });
      assert.deepEqual((await api.profile(created)).emails, ['only@acme.example']);
    });

    test('phone: local numbers read with the business country (NL), phone[mobile], phone[ID], new_default_phone, removal promotes', async () => {
      const api = await fresh();
      const id = await api.createProfile({ phone: '06 1234 5678' });
      let profile = await api.profile(id);
      assert.deepEqual(profile.phones, ['+31612345678']);
      assert.deepEqual(propertyOf(profile, 'phone'), { id: idOf(profile, 'phone', null), kind: 'phone', name: null, value: '+31612345678', verified: false });

      profile = await api.updateProfile(id, { phone: { mobile: '+598 98 000 001' } });
      assert.deepEqual(profile.phones, ['+31612345678', '+59898000001']);
      const mobile = idOf(profile, 'phone', 'mobile');
      profile = await api.updateProfile(id, { phone: { [mobile]: '0031 6 2345 6789' } });
      assert.deepEqual(profile.phones, ['+31612345678', '+31623456789']);

      profile = await api.updateProfile(id, { new_default_phone: '0687654321' });
      assert.deepEqual(profile.phones, ['+31687654321', '+31612345678', '+31623456789']);

      profile = await api.updateProfile(id, { phone: '' });
      assert.deepEqual(profile.phones, ['+31612345678', '+31623456789'], 'the second number becomes the default');
      profile = await api.updateProfile(id, { phone: { [mobile]: '' } });
      assert.deepEqual(profile.phones, ['+31612345678']);
      profile = await api.updateProfile(id, { phone: { mobile: '0612340000' } });
      assert.deepEqual(profile.phones, ['+31612345678', '+31612340000']);
      profile = await api.updateProfile(id, { phone: { mobile: '' } });
      assert.deepEqual(profile.phones, ['+31612345678']);
    });

    test('address: an object or address[suggest] sets the default; address[work] names one; address[ID]; new_default_address; empty removes', async () => {
      const api = await fresh();
      const id = await api.createProfile({
        address: { street: { name: 'Av. Luis Alberto de Herrera', number: '1248' }, postal_code: '11300', city: 'Montevideo', region: 'Departamento de Montevideo', country: 'UY', subregion: 'CH' },
      });
      let profile = await api.profile(id);
      const address = propertyOf(profile, 'address');
      assert.ok(address);
      assert.deepEqual(address.value, {
        city: 'Montevideo',
        country: 'UY',
        latitude: null,
        longitude: null,
        notes: null,
        postal_code: '11300',
        region: 'Departamento de Montevideo',
        street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
        subregion: 'CH',
      });

      profile = await api.updateProfile(id, { address: { suggest: 'Keizersgracht 123, 1015 CJ Amsterdam' } });
      const suggested = propertyOf(profile, 'address', null);
      assert.equal(suggested?.id, address.id, 'the default address is replaced in place');
      assert.deepEqual(suggested?.value, {
        city: 'Amsterdam',
        country: 'NL',
        latitude: null,
        longitude: null,
        notes: null,
        postal_code: '1015 CJ',
        region: null,
        street: { name: 'Keizersgracht', number: '123' },
        subregion: null,
      });

      profile = await api.updateProfile(id, { address: { work: { suggest: 'Herengracht 12, Amsterdam' } } });
      const work = propertyOf(profile, 'address', 'work');
      assert.ok(work);
      assert.deepEqual(work.value, {
        city: 'Amsterdam',
        country: 'NL',
        latitude: null,
        longitude: null,
        notes: null,
        postal_code: null,
        region: null,
        street: { name: 'Herengracht', number: '12' },
        subregion: null,
      });
      profile = await api.updateProfile(id, { address: { [work.id]: { city: 'Utrecht', country: 'NL' } } });
      assert.equal((propertyOf(profile, 'address', 'work')?.value as { city: string }).city, 'Utrecht');

      profile = await api.updateProfile(id, { new_default_address: { city: 'Rotterdam' } });
      const addresses = profile.properties.filter((p) => p.kind === 'address').map((p) => (p.value as { city: string }).city);
      assert.deepEqual(addresses, ['Rotterdam', 'Amsterdam', 'Utrecht'], 'new default first, the old one kept second');

      profile = await api.updateProfile(id, { address: { [work.id]: '' } });
      assert.equal(propertyOf(profile, 'address', 'work'), undefined);
      profile = await api.updateProfile(id, { address: '' });
      assert.deepEqual(
        profile.properties.filter((p) => p.kind === 'address').map((p) => (p.value as { city: string }).city),
        ['Amsterdam'],
        "address='' removes the default; the next one is the default now",
      );
      profile = await api.updateProfile(id, { address: {} });
      assert.equal(propertyOf(profile, 'address'), undefined, 'address={} removes the default');
    });

    test('property[Name], by name case-insensitively, and property[kind] for unnamed properties', async () => {
      const api = await fresh();
      await businessProperties(api);
      const id = await api.createProfile({
        property: {
          Active: true,
          score: 29.99,
          Tags: ['vip', 'early'],
          Since: { day: 3, month: 11, year: 1985 },
          Website: 'https://www.hellotext.com',
          Notes: 'Long lasting customer',
          gender: 'male',
          birthday: { day: 3, month: 11, year: 1985 },
          company: 'ACME Corporation',
          mercadolibre: 'WILLE900001',
        },
      });
      const profile = await api.profile(id);
      const values = Object.fromEntries(profile.properties.map((p) => [p.name ?? p.kind, p.value]));
      assert.deepEqual(values, {
        Active: true,
        Score: 29.99,
        Tags: ['vip', 'early'],
        Since: { day: 3, month: 11, year: 1985 },
        Website: 'https://www.hellotext.com',
        Notes: 'Long lasting customer',
        gender: 'male',
        birthday: { day: 3, month: 11, year: 1985 },
        company: 'ACME Corporation',
        mercadolibre: 'WILLE900001',
      });
      // Each value carries its property's kind; only email and phone carry `verified`.
      for (const property of profile.properties) {
        assert.deepEqual(Object.keys(property).sort(), ['id', 'kind', 'name', 'value'], JSON.stringify(property));
      }
      assert.equal(propertyOf(profile, 'mercadolibre')?.kind, 'mercadolibre');
      // An unnamed property of a kind is addressed by its kind.
      const unnamed = await api.createProperty({ kind: 'url' });
      const byKind = await api.updateProfile(id, { property: { url: 'https://acme.example' } });
      assert.deepEqual(byKind.properties.find((p) => p.id === unnamed.id)?.value, 'https://acme.example');
      // Partial dates.
      const partial = await api.updateProfile(id, { property: { birthday: { day: 3, month: 11 }, Since: '2024' } });
      assert.deepEqual(propertyOf(partial, 'birthday')?.value, { day: 3, month: 11, year: null });
      assert.deepEqual(propertyOf(partial, 'date')?.value, { day: null, month: null, year: 2024 });
    });

    test('property_by_id[ID] sets by id; an empty value removes', async () => {
      const api = await fresh();
      const props = await businessProperties(api);
      const notes = props.Notes;
      assert.ok(notes);
      const id = await api.createProfile({ property_by_id: { [notes.id]: 'MyValue' } });
      let profile = await api.profile(id);
      assert.deepEqual(propertyOf(profile, 'text', 'Notes'), { id: notes.id, kind: 'text', name: 'Notes', value: 'MyValue' });
      profile = await api.updateProfile(id, { property_by_id: { [notes.id]: '' } });
      assert.equal(propertyOf(profile, 'text'), undefined);
    });

    test('top-level gender=male (the reference example) sets the gender; unknown keys are ignored', async () => {
      const api = await fresh();
      const id = await api.createProfile({});
      const profile = await api.updateProfile(id, { email: 'will.e@acme.com', gender: 'male', nonsense: 'ignored' });
      assert.equal(propertyOf(profile, 'gender')?.value, 'male');
      assert.deepEqual(profile.emails, ['will.e@acme.com']);
      assert.equal(
        profile.properties.find((p) => JSON.stringify(p.value).includes('ignored')),
        undefined,
      );
    });

    test('empty values remove: property[Name]=, tags [] and first_name=', async () => {
      const api = await fresh();
      await businessProperties(api);
      const id = await api.createProfile({ first_name: 'Ann', property: { Active: false, Tags: ['a'], Score: 0, company: 'ACME' } });
      let profile = await api.profile(id);
      assert.equal(propertyOf(profile, 'checkbox')?.value, false, 'false is a value');
      assert.equal(propertyOf(profile, 'number')?.value, 0, '0 is a value');
      profile = await api.updateProfile(id, { first_name: '', property: { Active: '', Tags: [], Score: '', company: '' } });
      assert.equal(profile.first_name, null);
      assert.deepEqual(profile.properties, []);
    });

    test('undefined_property: property[Name] and property_by_id[ID] of no property; nothing is created', async () => {
      const api = await fresh();
      const byName = await api.post('/profiles', { first_name: 'Ghost', property: { Nope: 'x' } });
      assertError(byName, 422, 'undefined_property', 'property[Nope]');
      assert.deepEqual(await api.profileIds(), [], 'the create was rolled back');

      const id = await api.createProfile({ first_name: 'Ann' });
      const forged = await api.patch(`/profiles/${id}`, { first_name: 'Changed', property_by_id: { zzzzzzzz: 'x' } });
      assertError(forged, 422, 'undefined_property', 'property_by_id[zzzzzzzz]');
      assert.equal((await api.profile(id)).first_name, 'Ann', 'the update was rolled back');

      // A property that existed but was deleted is undefined too.
      const gone = await api.createProperty({ kind: 'text', name: 'Gone' });
      assert.equal((await api.delete(`/properties/${gone.id}`)).status, 200);
      assertError(await api.patch(`/profiles/${id}`, { property_by_id: { [gone.id]: 'x' } }), 422, 'undefined_property', `property_by_id[${gone.id}]`);
      assertError(await api.patch(`/profiles/${id}`, { property: { Gone: 'x' } }), 422, 'undefined_property', 'property[Gone]');
    });

    test('lists on create add the profile, creating missing lists and matching existing ones case-insensitively', async () => {
      const api = await fresh();
      const greens = await api.createList('Greens');
      const id = await api.createProfile({ lists: ['greens', 'Beauty & Care', 'GREENS'] });
      const profile = await api.profile(id);
      assert.deepEqual(
        profile.lists.map((list) => list.name),
        ['Greens', 'Beauty & Care'],
      );
      assert.equal(profile.lists[0]?.id, greens.id);
      const all = await api.get<{ lists: Array<{ name: string }> }>('/lists');
      assert.deepEqual(all.body.lists.map((list) => list.name).sort(), ['Beauty & Care', 'Greens'], 'one new list, no duplicate');
    });

    test('a list named twice in one request is created with the first spelling', async () => {
      const api = await fresh();
      const id = await api.createProfile({ lists: ['Beauty & Care', 'beauty & care'] });
      assert.deepEqual((await api.profile(id)).lists.map((list) => list.name), ['Beauty & Care']);
    });

    test('lists on update: the given lists replace the memberships; [] (lists[]=) removes from every list', async () => {
      const api = await fresh();
      const id = await api.createProfile({ lists: ['A', 'B'] });
      let profile = await api.updateProfile(id, { lists: ['B', 'C'] });
      assert.deepEqual(profile.lists.map((list) => list.name).sort(), ['B', 'C']);
      profile = await api.updateProfile(id, { first_name: 'Kept' });
      assert.deepEqual(profile.lists.map((list) => list.name).sort(), ['B', 'C'], 'no lists parameter: memberships stay');
      profile = await api.updateProfile(id, { lists: [] });
      assert.deepEqual(profile.lists, []);
      const lists = await api.get<{ lists: Array<{ name: string }> }>('/lists');
      assert.deepEqual(lists.body.lists.map((list) => list.name).sort(), ['A', 'B', 'C'], 'the lists themselves stay');
    });

    test('subscribe=true on create subscribes; without it (or false) the profile is unconfirmed', async () => {
      const api = await fresh();
      assert.equal((await api.profile(await api.createProfile({ subscribe: true }))).state, 'subscribed');
      assert.equal((await api.profile(await api.createProfile({ subscribe: false }))).state, 'unconfirmed');
      assert.equal((await api.profile(await api.createProfile({ first_name: 'X' }))).state, 'unconfirmed');
      assertError(await api.post('/profiles', { subscribe: 'perhaps' }), 422, 'invalid', 'subscribe');
    });

    test('invalid values are 422 invalid naming the parameter, and change nothing', async () => {
      const api = await fresh();
      await businessProperties(api);
      const id = await api.createProfile({ first_name: 'Ann', email: 'ann@acme.example', phone: '0612345678' });
      const before = await api.profile(id);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ email: 'not-an-email' }, 'email'],
        [{ email: 'two@@acme.example' }, 'email'],
        [{ email: { work: 'nope' } }, 'email[work]'],
        [{ new_default_email: 'nope@' }, 'new_default_email'],
        [{ phone: '12345' }, 'phone'],
        [{ phone: 'call me' }, 'phone'],
        [{ phone: { mobile: '+999 123' } }, 'phone[mobile]'],
        [{ new_default_phone: '000' }, 'new_default_phone'],
        [{ property: { Website: 'not a url' } }, 'property[Website]'],
        [{ property: { Website: 'ftp://files.example' } }, 'property[Website]'],
        [{ property: { Since: '2020-13-45' } }, 'property[Since]'],
        [{ property: { Since: { day: 31, month: 2 } } }, 'property[Since]'],
        [{ property: { birthday: '1985-02-30' } }, 'property[birthday]'],
        [{ property: { Score: 'abc' } }, 'property[Score]'],
        [{ property: { Score: '1,5' } }, 'property[Score]'],
        [{ property: { Active: 'maybe' } }, 'property[Active]'],
        [{ address: { country: 'Atlantis' } }, 'address'],
      ];
      for (const [body, parameter] of cases) {
        const res = await api.patch(`/profiles/${id}`, { first_name: 'Changed', ...body });
        assertError(res, 422, 'invalid', parameter);
      }
      assert.deepEqual(await api.profile(id), before, 'no partial update');
      assertError(await api.post('/profiles', { email: 'bad' }), 422, 'invalid', 'email');
    });

    test('a bracket name used for another kind is refused', async () => {
      const api = await fresh();
      const id = await api.createProfile({ email: { work: 'w@acme.example' } });
      assertError(await api.patch(`/profiles/${id}`, { phone: { work: '0612345678' } }), 422, 'invalid', 'phone[work]');
    });

    test('bracket names follow the property name rules (no leading digit, no curly brackets)', async () => {
      const api = await fresh();
      const id = await api.createProfile({});
      assertError(await api.patch(`/profiles/${id}`, { email: { '2nd': 'b@acme.example' } }), 422, 'invalid', 'email[2nd]');
      assertError(await api.patch(`/profiles/${id}`, { email: { '{w}': 'c@acme.example' } }), 422, 'invalid', 'email[{w}]');
      assert.deepEqual((await api.profile(id)).emails, []);
    });

    test("a bracket name cannot shadow a business-wide property's name", async () => {
      const api = await fresh();
      await api.createProperty({ kind: 'text', name: 'Active' });
      const id = await api.createProfile({});
      const res = await api.patch(`/profiles/${id}`, { email: { Active: 'd@acme.example' } });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual((await api.profile(id)).emails, []);
    });
  });
}

describe('JSON and form bodies give the same profile', () => {
  /** The same requests in one encoding, in a fresh business; the profile they lead to. */
  async function scenario(encoding: Encoding): Promise<ProfileJson[]> {
    const api = await tenant(t, encoding);
    await businessProperties(api);
    const id = await api.createProfile({
      first_name: 'Will E',
      last_name: 'Coyote',
      email: 'Will.E@acme.com',
      phone: '0612345678',
      address: { suggest: 'Av. Luis Alberto de Herrera 1248, 11300 Montevideo, Uruguay' },
      property: {
        Active: true,
        Score: 29.99,
        Tags: ['tag1', 'tag2'],
        Since: { day: 3, month: 11, year: 1985 },
        birthday: { day: '3', month: '11', year: '1985' },
        company: 'ACME Corporation',
      },
      gender: 'male',
      lists: ['Greens', 'Blues'],
      subscribe: true,
    });
    const created = await api.profile(id);
    const updated = await api.updateProfile(id, {
      email: { work: 'will@work.example' },
      new_default_phone: '+59898000001',
      address: { home: { street: { name: 'Keizersgracht', number: '123' }, city: 'Amsterdam', country: 'NL' } },
      property: { Score: '', Tags: ['tag3'] },
      lists: ['Reds'],
    });
    const emptied = await api.updateProfile(id, { email: '', phone: '', lists: [], address: '' });
    return [created, updated, emptied];
  }

  test('every step matches', async () => {
    const [json, form] = await Promise.all([scenario('json'), scenario('form')]);
    assert.deepEqual(form.map(withoutIds), json.map(withoutIds));
    const [created, updated, emptied] = json;
    assert.ok(created && updated && emptied);
    assert.deepEqual(created.emails, ['will.e@acme.com']);
    assert.equal(created.state, 'subscribed');
    assert.deepEqual(valuesOf(created, 'tags'), [['tag1', 'tag2']]);
    assert.deepEqual(updated.phones, ['+59898000001', '+31612345678']);
    assert.deepEqual(updated.lists.map((list) => list.name), ['Reds']);
    assert.deepEqual(emptied.emails, ['will@work.example']);
    assert.deepEqual(emptied.phones, ['+31612345678']);
    assert.deepEqual(emptied.lists, []);
    assert.equal(emptied.properties.filter((p) => p.kind === 'address').length, 1, 'the home address is left');
  });
});
