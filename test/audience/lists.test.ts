import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, LIST_KEYS, PROFILE_EXTENSION_KEYS, PROFILE_KEYS, sortedKeys, tenant, type AudienceApp, type ListJson, type ProfileJson } from './audience-client.js';

/** POST/GET/PATCH/DELETE /v1/lists[/:id_or_name], GET /v1/lists, and list membership. */
describe('lists', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  const names = (lists: ListJson[]) => lists.map((list) => list.name);

  test('the list object: create 201, retrieve, rename, delete, all in the documented shapes', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const created = await api.post<ListJson>('/lists', { name: 'Beauty & Care' });
      assert.equal(created.status, 201);
      assert.deepEqual(sortedKeys(created.body), [...LIST_KEYS].sort());
      assert.deepEqual({ ...created.body, id: '-' }, { id: '-', type: 'list', name: 'Beauty & Care', created_at: t.clock.seconds });
      const { id } = created.body;
      assert.deepEqual((await api.get<ListJson>(`/lists/${id}`)).body, created.body);

      const renamed = await api.patch<ListJson>(`/lists/${id}`, { name: 'Loyal customers' });
      assert.equal(renamed.status, 200);
      assert.deepEqual(renamed.body, { ...created.body, name: 'Loyal customers' });
      assert.deepEqual((await api.get<ListJson>(`/lists/${id}`)).body, renamed.body);

      const deleted = await api.delete<Record<string, unknown>>(`/lists/${id}`);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { id, type: 'list', deleted: true });
      assertError(await api.get(`/lists/${id}`), 404, 'not_found');
      assertError(await api.patch(`/lists/${id}`, { name: 'x' }), 404, 'not_found');
      assertError(await api.delete(`/lists/${id}`), 404, 'not_found');
    }
  });

  test('lists are addressed by id or by name (case-insensitively) for retrieve, update and delete', async () => {
    const api = await tenant(t);
    const list = await api.createList('Beauty & Care');
    for (const ref of ['Beauty%20%26%20Care', 'beauty%20%26%20care', encodeURIComponent('BEAUTY & CARE'), list.id]) {
      const res = await api.get<ListJson>(`/lists/${ref}`);
      assert.equal(res.status, 200, ref);
      assert.deepEqual(res.body, list);
    }
    const renamed = await api.patch<ListJson>('/lists/beauty%20%26%20care', { name: 'Greens' });
    assert.deepEqual(renamed.body, { ...list, name: 'Greens' });
    assertError(await api.get('/lists/Beauty%20%26%20Care'), 404, 'not_found');
    const deleted = await api.delete<Record<string, unknown>>('/lists/GREENS');
    assert.deepEqual(deleted.body, { id: list.id, type: 'list', deleted: true });
    assertError(await api.get(`/lists/${list.id}`), 404, 'not_found');
  });

  test('an eight-character name that is no id is found by name', async () => {
    const api = await tenant(t);
    const list = await api.createList('Newcomer');
    assert.deepEqual((await api.get<ListJson>('/lists/Newcomer')).body, list);
    assert.deepEqual((await api.get<ListJson>('/lists/newcomer')).body, list);
  });

  test('names are required, trimmed, and unique ignoring case', async () => {
    const api = await tenant(t);
    assertError(await api.post('/lists', {}), 400, 'parameter_missing', 'name');
    assertError(await api.post('/lists', { name: '' }), 422, 'parameter_invalid_empty', 'name');
    assertError(await api.post('/lists', { name: '   ' }), 422, 'parameter_invalid_empty', 'name');
    assertError(await api.post('/lists', { name: 'x'.repeat(201) }), 422, 'invalid', 'name');
    assert.equal((await api.createList('y'.repeat(200))).name.length, 200);
    const greens = await api.createList('  Greens ');
    assert.equal(greens.name, 'Greens');
    assertError(await api.post('/lists', { name: 'greens' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.post('/lists', { name: 'GREENS ' }), 422, 'parameter_not_unique', 'name');
    const blues = await api.createList('Blues');
    assertError(await api.patch(`/lists/${blues.id}`, { name: 'gReEnS' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.patch(`/lists/${blues.id}`, {}), 400, 'parameter_missing', 'name');
    assertError(await api.patch(`/lists/${blues.id}`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
    assert.equal((await api.patch<ListJson>(`/lists/${greens.id}`, { name: 'GREENS' })).body.name, 'GREENS', 'its own name in another case');
    assert.deepEqual((await api.get<ListJson>(`/lists/${blues.id}`)).body, blues, 'the refused renames changed nothing');
    // The same name in another business is no duplicate.
    const other = await tenant(t);
    assert.equal((await other.createList('Greens')).name, 'Greens');
  });

  test('a POST or PATCH without any body is 400 parameter_missing name', async () => {
    const api = await tenant(t);
    const list = await api.createList('Greens');
    for (const [method, url] of [['POST', '/v1/lists'], ['PATCH', `/v1/lists/${list.id}`]] as const) {
      const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${api.token}` } });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(
        (JSON.parse(res.body) as { errors: Array<{ type: string; parameter: string }> }).errors.map((error) => [error.type, error.parameter]),
        [['parameter_missing', 'name']],
      );
    }
  });

  test('GET /v1/lists: {lists: […]} newest first, paginated', async () => {
    const api = await tenant(t);
    assert.deepEqual((await api.get<Record<string, unknown>>('/lists')).body, { lists: [] });
    for (const name of ['Greens', 'Green tea', 'Blues', 'Grey']) await api.createList(name);
    const all = (await api.get<{ lists: ListJson[] }>('/lists')).body.lists;
    assert.deepEqual(names(all), ['Grey', 'Blues', 'Green tea', 'Greens']);
    const page = async (query: string) => names((await api.get<{ lists: ListJson[] }>(`/lists${query}`)).body.lists);
    assert.deepEqual(await page('?limit=2'), ['Grey', 'Blues']);
    assert.deepEqual(await page(`?limit=2&starting_after=${all[1]?.id}`), ['Green tea', 'Greens']);
    assert.deepEqual(await page(`?ending_before=${all[2]?.id}`), ['Grey', 'Blues']);
    assertError(await api.get('/lists?starting_after=zzzz-zzz'), 422, 'invalid', 'starting_after');
  });

  /** Lists made for the name filter tests; the filter's answer as names. */
  async function filtered(): Promise<{ all: ListJson[]; page: (query: string) => Promise<string[]> }> {
    const api = await tenant(t);
    for (const name of ['Greens', 'Green tea', 'Blues', 'great_deals', 'Grey', '50% off', 'a\\b']) await api.createList(name);
    const all = (await api.get<{ lists: ListJson[] }>('/lists')).body.lists;
    const page = async (query: string) => {
      const res = await api.get<{ lists: ListJson[] }>(`/lists${query}`);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      return names(res.body.lists);
    };
    return { all, page };
  }

  test(
    'GET /v1/lists?name= keeps the names starting with it, ignoring case',
    async () => {
      const { all, page } = await filtered();
      assert.deepEqual(await page('?name=gre'), ['Grey', 'great_deals', 'Green tea', 'Greens']);
      assert.deepEqual(await page('?name=GREEN'), ['Green tea', 'Greens']);
      assert.deepEqual(await page('?name=Greens'), ['Greens']);
      assert.deepEqual(await page('?name=reen'), [], 'a prefix, not a substring');
      assert.deepEqual(await page('?name=5'), ['50% off']);
      assert.deepEqual(await page(`?name=gre&limit=1&starting_after=${all.find((list) => list.name === 'great_deals')?.id}`), ['Green tea']);
      assert.equal((await page('?name=')).length, 7, 'an empty prefix keeps all');
    },
  );

  test('GET /v1/lists?name= takes %, _ and \\ literally', async () => {
    const { page } = await filtered();
    assert.deepEqual(await page('?name=50%25'), ['50% off']);
    assert.deepEqual(await page('?name=5%25'), [], '% is no wildcard');
    assert.deepEqual(await page('?name=gre_t'), [], '_ is no wildcard');
    assert.deepEqual(await page('?name=great_'), ['great_deals']);
    assert.deepEqual(await page('?name=a%5C'), ['a\\b']);
  });

  test('add and remove a profile, the list by id or by name; both answer the profile object', async () => {
    const api = await tenant(t);
    const greens = await api.createList('Greens');
    const blues = await api.createList('Blues');
    const id = await api.createProfile({ email: 'will.e@acme.com' });

    const added = await api.post<ProfileJson>(`/lists/${greens.id}/profiles/${id}`);
    assert.equal(added.status, 200);
    assert.deepEqual(sortedKeys(added.body), [...PROFILE_KEYS, ...PROFILE_EXTENSION_KEYS].sort());
    assert.deepEqual(added.body.lists, [greens]);
    const again = await api.post<ProfileJson>(`/lists/greens/profiles/${id}`);
    assert.deepEqual(again.body.lists, [greens], 'adding twice keeps one membership');
    const byName = await api.post<ProfileJson>(`/lists/BLUES/profiles/${id}`);
    assert.deepEqual(names(byName.body.lists), ['Greens', 'Blues']);

    const removed = await api.delete<ProfileJson>(`/lists/Greens/profiles/${id}`);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.lists, [blues]);
    const notMember = await api.delete<ProfileJson>(`/lists/${greens.id}/profiles/${id}`);
    assert.equal(notMember.status, 200, 'removing a non-member is no error');
    assert.deepEqual(notMember.body.lists, [blues]);
    assert.deepEqual((await api.profile(id)).lists, [blues]);

    // Deleting a list ends its memberships; renaming shows on the profile.
    await api.patch(`/lists/${blues.id}`, { name: 'Blue' });
    assert.deepEqual(names((await api.profile(id)).lists), ['Blue']);
    await api.delete(`/lists/${blues.id}`);
    assert.deepEqual((await api.profile(id)).lists, []);
  });

  test('membership routes answer 404 for an unknown list or profile', async () => {
    const api = await tenant(t);
    const list = await api.createList('Greens');
    const id = await api.createProfile({});
    for (const method of ['POST', 'DELETE'] as const) {
      assertError(await api.request(method, `/lists/Nope/profiles/${id}`), 404, 'not_found');
      assertError(await api.request(method, `/lists/zzzzzzzz/profiles/${id}`), 404, 'not_found');
      assertError(await api.request(method, `/lists/${list.id}/profiles/zzzzzzzz`), 404, 'not_found', 'profile');
      assertError(await api.request(method, `/lists/${list.id}/profiles/${list.id}`), 404, 'not_found', 'profile');
      assertError(await api.request(method, `/lists/${list.id}/profiles/${t.ids.encode('profile', 2_000_000_000)}`), 404, 'not_found', 'profile');
    }
    assert.deepEqual((await api.profile(id)).lists, []);
    for (const ref of ['zzzzzzzz', 'abc', t.ids.encode('list', 2_000_000_000), id, '%20']) {
      assertError(await api.get(`/lists/${ref}`), 404, 'not_found');
      assertError(await api.patch(`/lists/${ref}`, { name: 'Renamed' }), 404, 'not_found');
      assertError(await api.delete(`/lists/${ref}`), 404, 'not_found');
    }
    assert.deepEqual((await api.get<ListJson>(`/lists/${list.id}`)).body, list);
  });

  test('concurrent creates of one name: one list, the others 422 parameter_not_unique', async () => {
    const api = await tenant(t);
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.post('/lists', { name: 'Rush' })));
    assert.deepEqual(replies.map((res) => res.status).sort(), [201, 422, 422, 422, 422], replies.map((res) => res.text).join('\n'));
    assert.deepEqual(names((await api.get<{ lists: ListJson[] }>('/lists')).body.lists), ['Rush']);
  });

  test('concurrent profile creates naming one new list all succeed and share it', async () => {
    const api = await tenant(t);
    const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => api.post('/profiles', { first_name: `P${i}`, lists: ['Launch'] })));
    assert.deepEqual(replies.map((res) => res.status), [201, 201, 201, 201, 201], replies.map((res) => res.text).join('\n'));
    assert.deepEqual(names((await api.get<{ lists: ListJson[] }>('/lists')).body.lists), ['Launch']);
  });
});
