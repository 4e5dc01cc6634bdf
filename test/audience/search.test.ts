import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TenantDb } from '../../src/core/shared/tenant.js';
import { assertError, audienceApp, tenant, type Api, type AudienceApp } from './audience-client.js';

/**
 * GET /v1/profiles: the filters, the three orders and keyset pagination under each of them,
 * with ties (same activity second, same names) and profiles added between pages.
 */

interface Person {
  readonly id: string;
  /** The profile's key: creation order and the tie-breaker. */
  readonly key: number;
  readonly first: string;
  readonly last: string;
  activity: number;
}

type Order = 'activity' | 'alphabetically' | 'created_at';
const ORDERS: readonly Order[] = ['activity', 'alphabetically', 'created_at'];

describe('profile search', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  /** The order the documentation promises, ties broken by id (ascending for names, else newest first). */
  function expected(people: readonly Person[], order: Order): string[] {
    const sorted = [...people];
    if (order === 'activity') sorted.sort((a, b) => b.activity - a.activity || b.key - a.key);
    if (order === 'created_at') sorted.sort((a, b) => b.key - a.key);
    if (order === 'alphabetically') {
      const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      sorted.sort((a, b) => cmp(a.last.toLowerCase(), b.last.toLowerCase()) || cmp(a.first.toLowerCase(), b.first.toLowerCase()) || a.key - b.key);
    }
    return sorted.map((person) => person.id);
  }

  interface Fixture {
    readonly api: Api;
    readonly people: Person[];
    add(first: string, last: string, body?: Record<string, unknown>): Promise<Person>;
    /** An event of a later issue: moves the profile's last activity (no HTTP route sets it yet). */
    touch(person: Person, at: number): Promise<void>;
  }

  /**
   * A business whose profiles tie on purpose: several created in the same second, three
   * called Ann Smith, a Smith whose first name sorts after a Smithson's, and two profiles
   * that become active later, in the same second.
   */
  async function fixture(): Promise<Fixture> {
    const api = await tenant(t);
    const people: Person[] = [];
    const add = async (first: string, last: string, body: Record<string, unknown> = {}): Promise<Person> => {
      const id = await api.createProfile({ first_name: first, last_name: last, ...body });
      const person: Person = { id, key: t.ids.decode('profile', id) ?? 0, first, last, activity: t.clock.seconds };
      people.push(person);
      return person;
    };
    const touch = async (person: Person, at: number) => {
      // Events and messages (later issues) move a profile's last activity; no /v1 route does yet.
      await new TenantDb(t.core.db, api.businessId).updateTable('profiles').set({ activity_at: at }).where('id', '=', person.key).execute();
      person.activity = Math.max(person.activity, at);
    };
    await add('Ann', 'Smith', { email: 'ann.one@acme.example', phone: '0612345671', property: { company: 'ACME Corp' } });
    const bob = await add('Bob', 'Jones', { email: 'bob@acme.example', phone: '+59898000001' });
    t.clock.tick();
    await add('ann', 'SMITH', { email: { work: 'ann.two@work.example' } });
    await add('Carl', 'Smith', { property: { company: 'acme corp' } });
    t.clock.tick();
    const dana = await add('Dana', 'Adams', { email: 'DANA@acme.example' });
    await add('Zed', 'Smith');
    t.clock.tick();
    await add('Ann', 'Smith');
    await add('Eve', 'Smithson');
    await touch(bob, t.clock.seconds + 10);
    await touch(dana, t.clock.seconds + 10);
    return { api, people, add, touch };
  }

  const ids = (api: Api, query: string) => api.profileIds(query);

  test('each order sorts as documented, with ties broken by id', async () => {
    const { api, people } = await fixture();
    for (const order of ORDERS) assert.deepEqual(await ids(api, `?order=${order}`), expected(people, order), order);
    const byName = await api.profiles('?order=alphabetically');
    assert.deepEqual(
      byName.map((profile) => `${profile.last_name} ${profile.first_name}`),
      ['Adams Dana', 'Jones Bob', 'Smith Ann', 'SMITH ann', 'Smith Ann', 'Smith Carl', 'Smith Zed', 'Smithson Eve'],
      'last name first: every Smith before Smithson',
    );
    const byActivity = await api.profiles('');
    assert.deepEqual(byActivity.map((profile) => profile.first_name).slice(0, 2), ['Dana', 'Bob'], 'most recent activity first');
    assert.deepEqual(await ids(api, ''), expected(people, 'activity'), 'activity is the default');
    for (const invalid of ['bogus', 'ALPHABETICALLY', '', 'created_at%20desc']) {
      assert.deepEqual(await ids(api, `?order=${invalid}`), expected(people, 'activity'), `order=${invalid} falls back to the default`);
    }
  });

  for (const order of ORDERS) {
    test(`starting_after and ending_before under order=${order}, through ties`, async () => {
      const { api, people } = await fixture();
      const all = expected(people, order);
      for (const limit of [1, 2, 3]) {
        const forward: string[] = [];
        let page = await ids(api, `?order=${order}&limit=${limit}`);
        while (page.length > 0) {
          forward.push(...page);
          assert.ok(forward.length <= all.length, 'no endless paging');
          page = await ids(api, `?order=${order}&limit=${limit}&starting_after=${page.at(-1)}`);
        }
        assert.deepEqual(forward, all, `forward, limit ${limit}`);

        const backward: string[] = [];
        let cursor = all.at(-1);
        backward.unshift(cursor ?? '');
        page = await ids(api, `?order=${order}&limit=${limit}&ending_before=${cursor}`);
        while (page.length > 0) {
          backward.unshift(...page);
          assert.ok(backward.length <= all.length, 'no endless paging');
          cursor = page[0];
          page = await ids(api, `?order=${order}&limit=${limit}&ending_before=${cursor}`);
        }
        assert.deepEqual(backward, all, `backward, limit ${limit}`);
      }
      assert.deepEqual(await ids(api, `?order=${order}&starting_after=${all[1]}&ending_before=${all[5]}`), all.slice(2, 5), 'between two cursors');
      assert.deepEqual(await ids(api, `?order=${order}&limit=2&ending_before=${all[4]}`), all.slice(2, 4), 'the items just before the cursor');
      assert.deepEqual(await ids(api, `?order=${order}&starting_after=${all.at(-1)}`), []);
      assert.deepEqual(await ids(api, `?order=${order}&ending_before=${all[0]}`), []);
    });

    test(`profiles added or active between pages do not shift later pages under order=${order}`, async () => {
      const { api, people, add, touch } = await fixture();
      const before = expected(people, order);
      const first = await ids(api, `?order=${order}&limit=3`);
      assert.deepEqual(first, before.slice(0, 3));
      const cursor = first.at(-1);
      // New profiles: newest and most active, so before the cursor under activity and created_at;
      // alphabetically one sorts first, one ties with the Ann Smiths (after them, by id) and one last.
      t.clock.tick(100);
      await add('Aaron', 'Aardvark');
      await add('Ann', 'Smith');
      await add('Zoe', 'Zz');
      // A profile already listed becomes active again.
      const listed = people.find((person) => person.id === first[0]);
      assert.ok(listed);
      await touch(listed, t.clock.seconds + 50);

      const rest: string[] = [];
      let page = await ids(api, `?order=${order}&limit=2&starting_after=${cursor}`);
      while (page.length > 0) {
        rest.push(...page);
        assert.ok(rest.length <= people.length);
        page = await ids(api, `?order=${order}&limit=2&starting_after=${page.at(-1)}`);
      }
      const now = expected(people, order);
      assert.deepEqual(rest, now.slice(now.indexOf(cursor ?? '') + 1), 'the rest follows the cursor in the current order');
      if (order !== 'alphabetically') assert.deepEqual(rest, before.slice(3), 'nothing new after the cursor, nothing skipped');
      else {
        const newcomers = people.slice(-3).map((person) => person.id);
        assert.deepEqual(
          rest.filter((id) => !newcomers.includes(id)),
          before.slice(3),
          'the old profiles keep their places',
        );
      }
    });
  }

  test('filters: email (any of the profile, any case), phone (local numbers read in NL), first_name, last_name, property', async () => {
    const { api, people } = await fixture();
    const [ann1, bob, ann2, carl, dana, , ann3, eve] = people;
    assert.ok(ann1 && bob && ann2 && carl && dana && ann3 && eve);
    assert.deepEqual(await ids(api, '?email=ann.one@acme.example'), [ann1.id]);
    assert.deepEqual(await ids(api, '?email=ANN.ONE%40ACME.example'), [ann1.id]);
    assert.deepEqual(await ids(api, '?email=dana@acme.example'), [dana.id], 'stored lower-cased');
    assert.deepEqual(await ids(api, '?email=ann.two@work.example'), [ann2.id], 'a named email counts');
    assert.deepEqual(await ids(api, '?email=nobody@acme.example'), []);
    assert.deepEqual(await ids(api, '?email=ann'), [], 'equality, not a substring');

    assert.deepEqual(await ids(api, '?phone=0612345671'), [ann1.id]);
    assert.deepEqual(await ids(api, '?phone=%2B31612345671'), [ann1.id]);
    assert.deepEqual(await ids(api, '?phone=06%2012%2034%2056%2071'), [ann1.id]);
    assert.deepEqual(await ids(api, '?phone=%2B598%2098%20000%20001'), [bob.id]);
    assert.deepEqual(await ids(api, '?phone=0612345679'), []);

    const smiths = [ann1, ann2, carl, people[5], ann3].map((person) => person?.id);
    assert.deepEqual((await ids(api, '?last_name=smith')).sort(), [...smiths].sort(), 'case-insensitive equality: no Smithson');
    assert.deepEqual((await ids(api, '?first_name=ANN')).sort(), [ann1.id, ann2.id, ann3.id].sort());
    assert.deepEqual((await ids(api, '?first_name=ann&last_name=Smith&order=alphabetically')), [ann1.id, ann2.id, ann3.id], 'filters combine with AND and with the order');
    assert.deepEqual(await ids(api, '?first_name=Ann&last_name=Jones'), []);

    assert.deepEqual((await ids(api, '?property=ACME%20corp')).sort(), [ann1.id, carl.id].sort(), 'any property value, ignoring case');
    assert.deepEqual(await ids(api, '?property=bob@acme.example'), [bob.id], 'emails are property values');
    assert.deepEqual(await ids(api, '?property=0612345671'), [ann1.id], 'phones too, read in NL');
    assert.deepEqual(await ids(api, '?property=acme'), []);

    // A filter with pagination.
    const page1 = await ids(api, '?last_name=smith&order=alphabetically&limit=2');
    const page2 = await ids(api, `?last_name=smith&order=alphabetically&limit=2&starting_after=${page1.at(-1)}`);
    const page3 = await ids(api, `?last_name=smith&order=alphabetically&limit=2&starting_after=${page2.at(-1)}`);
    assert.deepEqual([...page1, ...page2, ...page3], expected(people.filter((p) => p.last.toLowerCase() === 'smith'), 'alphabetically'));
  });

  test('property values of other kinds match in their normalised form', async () => {
    const api = await tenant(t);
    await api.createProperty({ kind: 'number', name: 'Score' });
    await api.createProperty({ kind: 'text', name: 'Notes' });
    await api.createProperty({ kind: 'url', name: 'Site' });
    const scored = await api.createProfile({ property: { Score: 29.99 } });
    const noted = await api.createProfile({ property: { Notes: 'Long lasting customer' } });
    const site = await api.createProfile({ property: { Site: 'https://www.hellotext.com' } });
    assert.deepEqual(await ids(api, '?property=29.99'), [scored]);
    assert.deepEqual(await ids(api, '?property=long%20LASTING%20customer'), [noted]);
    assert.deepEqual(await ids(api, '?property=https://www.hellotext.com'), [site]);
  });

  test('property= reads a number in its normalised form, as uniqueness does', async () => {
    const api = await tenant(t);
    await api.createProperty({ kind: 'number', name: 'Score' });
    const scored = await api.createProfile({ property: { Score: 29.99 } });
    assert.deepEqual(await ids(api, '?property=29.990'), [scored]);
  });

  test('cursors: malformed, unknown or another business’s ids are 422 invalid and reveal nothing', async () => {
    const { api } = await fixture();
    const other = await tenant(t);
    const foreign = await other.createProfile({ first_name: 'Foreign' });
    for (const order of ORDERS) {
      for (const cursor of ['zzzzzzzz', 'short', foreign, t.ids.encode('profile', 2_000_000_000)]) {
        assertError(await api.get(`/profiles?order=${order}&starting_after=${cursor}`), 422, 'invalid', 'starting_after');
        assertError(await api.get(`/profiles?order=${order}&ending_before=${cursor}`), 422, 'invalid', 'ending_before');
      }
    }
  });
});
