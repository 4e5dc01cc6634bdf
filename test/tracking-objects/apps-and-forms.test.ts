import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, sortedKeys, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

/** POST/GET/PATCH/DELETE /v1/attribution/apps[/:id] and /v1/attribution/forms[/:id]. */

interface NamedJson {
  id: string;
  type: string;
  name: string;
  created_at: number;
  metadata: Record<string, unknown>;
  image_url?: string | null;
}

const KINDS = [
  { type: 'app', plural: 'apps', path: '/attribution/apps', keys: ['created_at', 'id', 'image_url', 'metadata', 'name', 'type'] },
  { type: 'form', plural: 'forms', path: '/attribution/forms', keys: ['created_at', 'id', 'metadata', 'name', 'type'] },
] as const;

async function created(api: Api, path: string, body: Record<string, unknown>): Promise<NamedJson> {
  const res = await api.post<NamedJson>(path, body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

for (const kind of KINDS) {
  describe(`${kind.plural}`, () => {
    let t: AudienceApp;
    before(async () => {
      t = await audienceApp();
    });
    after(() => t.close());

    const names = (items: NamedJson[]) => items.map((item) => item.name);

    test(`the ${kind.type} object: create 201, retrieve, update, delete, in the documented shapes`, async () => {
      for (const encoding of ENCODINGS) {
        const api = await tenant(t, encoding);
        const res = await api.post<NamedJson>(kind.path, { name: 'Beauty & Care' });
        assert.equal(res.status, 201, res.text);
        assert.deepEqual(sortedKeys(res.body), kind.keys);
        const expected = { id: '-', type: kind.type, created_at: t.clock.seconds, metadata: {}, name: 'Beauty & Care', ...(kind.type === 'app' ? { image_url: null } : {}) };
        assert.deepEqual({ ...res.body, id: '-' }, expected);
        const { id } = res.body;
        assert.match(id, /^[A-Za-z0-9]{8}$/);
        assert.deepEqual((await api.get<NamedJson>(`${kind.path}/${id}`)).body, res.body);

        t.clock.tick();
        const updated = await api.patch<NamedJson>(`${kind.path}/${id}`, { name: 'Beauty & More' });
        assert.equal(updated.status, 200, updated.text);
        assert.deepEqual(updated.body, { ...res.body, name: 'Beauty & More' }, 'created_at stays');
        assert.deepEqual((await api.get<NamedJson>(`${kind.path}/${id}`)).body, updated.body);

        const deleted = await api.delete<Record<string, unknown>>(`${kind.path}/${id}`);
        assert.equal(deleted.status, 200, deleted.text);
        assert.deepEqual(deleted.body, { id, type: kind.type, deleted: true });
        assertError(await api.get(`${kind.path}/${id}`), 404, 'not_found', 'id');
        assertError(await api.patch(`${kind.path}/${id}`, { name: 'x' }), 404, 'not_found', 'id');
        assertError(await api.delete(`${kind.path}/${id}`), 404, 'not_found', 'id');
      }
    });

    test('metadata: kept as given, replaced whole by an update, cleared by an empty value or null', async () => {
      for (const encoding of ENCODINGS) {
        const api = await tenant(t, encoding);
        const item = await created(api, kind.path, { name: 'Signup', metadata: { plan: 'gold', source: 'web' } });
        assert.deepEqual(item.metadata, { plan: 'gold', source: 'web' });
        const replaced = await api.patch<NamedJson>(`${kind.path}/${item.id}`, { metadata: { plan: 'silver' } });
        assert.deepEqual(replaced.body.metadata, { plan: 'silver' });
        assert.equal(replaced.body.name, 'Signup', 'a partial update keeps the name');
        assert.deepEqual((await api.patch<NamedJson>(`${kind.path}/${item.id}`, { name: 'Signup 2' })).body.metadata, { plan: 'silver' }, 'metadata not given is kept');
        assert.deepEqual((await api.patch<NamedJson>(`${kind.path}/${item.id}`, { metadata: {} })).body.metadata, {});
        await api.patch(`${kind.path}/${item.id}`, { metadata: { plan: 'bronze' } });
        assert.deepEqual((await api.patch<NamedJson>(`${kind.path}/${item.id}`, { metadata: null })).body.metadata, {});
      }
      const api = await tenant(t);
      const nested = await created(api, kind.path, { name: 'Nested', metadata: { count: 3, flags: [true], deep: { a: null } } });
      assert.deepEqual(nested.metadata, { count: 3, flags: [true], deep: { a: null } }, 'JSON values keep their types');
      assertError(await api.post(kind.path, { name: 'Bad', metadata: 'plan' }), 422, 'invalid', 'metadata');
      assertError(await api.post(kind.path, { name: 'Bad', metadata: ['plan'] }), 422, 'invalid', 'metadata');
      const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      assertError(await api.post(kind.path, { name: 'Bad', metadata: tooMany }), 422, 'invalid', 'metadata');
      assertError(await api.post(kind.path, { name: 'Bad', metadata: { big: 'x'.repeat(17_000) } }), 422, 'invalid', 'metadata');
      assertError(await api.patch(`${kind.path}/${nested.id}`, { metadata: 'plan' }), 422, 'invalid', 'metadata');
      assert.equal((await api.get<{ [key: string]: NamedJson[] }>(kind.path)).body[kind.plural]?.length, 1, 'refused creates made nothing');
    });

    test('names: required, trimmed, at most 200 characters, unique per business exactly (case-sensitive)', async () => {
      const api = await tenant(t);
      assertError(await api.post(kind.path, {}), 400, 'parameter_missing', 'name');
      assertError(await api.post(kind.path, { name: null }), 400, 'parameter_missing', 'name');
      for (const encoding of ENCODINGS) {
        assertError(await api.as(encoding).post(kind.path, { name: '' }), 422, 'parameter_invalid_empty', 'name');
        assertError(await api.as(encoding).post(kind.path, { name: '   ' }), 422, 'parameter_invalid_empty', 'name');
      }
      assertError(await api.post(kind.path, { name: 'x'.repeat(201) }), 422, 'invalid', 'name');
      assertError(await api.post(kind.path, { name: { first: 'x' } }), 422, 'invalid', 'name');
      assert.equal((await created(api, kind.path, { name: 'y'.repeat(200) })).name.length, 200);
      const beauty = await created(api, kind.path, { name: '  Beauty ' });
      assert.equal(beauty.name, 'Beauty');
      assertError(await api.post(kind.path, { name: 'Beauty' }), 422, 'parameter_not_unique', 'name');
      assertError(await api.post(kind.path, { name: ' Beauty  ' }), 422, 'parameter_not_unique', 'name');
      const lower = await created(api, kind.path, { name: 'beauty' });
      assert.equal(lower.name, 'beauty', 'names differing in case are different names');

      assertError(await api.patch(`${kind.path}/${lower.id}`, { name: 'Beauty' }), 422, 'parameter_not_unique', 'name');
      for (const encoding of ENCODINGS) assertError(await api.as(encoding).patch(`${kind.path}/${lower.id}`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.patch(`${kind.path}/${lower.id}`, { name: null }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.patch(`${kind.path}/${lower.id}`, { name: 'z'.repeat(201) }), 422, 'invalid', 'name');
      assert.deepEqual((await api.get<NamedJson>(`${kind.path}/${lower.id}`)).body, lower, 'refused updates changed nothing');
      assert.deepEqual((await api.patch<NamedJson>(`${kind.path}/${lower.id}`, {})).body, lower, 'an empty update changes nothing');
      assert.deepEqual((await api.patch<NamedJson>(`${kind.path}/${beauty.id}`, { name: 'Beauty' })).body, beauty, 'its own name');

      const other = await tenant(t);
      assert.equal((await created(other, kind.path, { name: 'Beauty' })).name, 'Beauty', 'another business may use the name');
    });

    test('concurrent creates of one name: one 201, the rest parameter_not_unique', async () => {
      const api = await tenant(t);
      const replies = await Promise.all(Array.from({ length: 6 }, () => api.post<NamedJson>(kind.path, { name: 'Racer' })));
      assert.equal(replies.filter((res) => res.status === 201).length, 1, replies.map((res) => res.text).join('\n'));
      for (const res of replies.filter((reply) => reply.status !== 201)) assertError(res, 422, 'parameter_not_unique', 'name');
    });

    test(`GET ${kind.path}: {${kind.plural}: […]} newest first, paginated`, async () => {
      const api = await tenant(t);
      assert.deepEqual((await api.get(kind.path)).body, { [kind.plural]: [] });
      for (const name of ['One', 'Two', 'Three', 'Four']) await created(api, kind.path, { name });
      const list = async (query = '') => {
        const res = await api.get<Record<string, NamedJson[]>>(`${kind.path}${query}`);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(Object.keys(res.body), [kind.plural]);
        return res.body[kind.plural] ?? [];
      };
      const all = await list();
      assert.deepEqual(names(all), ['Four', 'Three', 'Two', 'One']);
      assert.deepEqual(all[0], (await api.get(`${kind.path}/${all[0]?.id}`)).body, 'list items are the full objects');
      assert.deepEqual(names(await list('?limit=2')), ['Four', 'Three']);
      assert.deepEqual(names(await list(`?limit=2&starting_after=${all[1]?.id}`)), ['Two', 'One']);
      assert.deepEqual(names(await list(`?ending_before=${all[2]?.id}`)), ['Four', 'Three']);
      assert.deepEqual(names(await list(`?limit=1&ending_before=${all[2]?.id}`)), ['Three']);
      assert.deepEqual(names(await list('?limit=500')), names(all), 'a limit over 100 is clamped');
      assertError(await api.get(`${kind.path}?limit=0`), 422, 'invalid', 'limit');
      assertError(await api.get(`${kind.path}?limit=ten`), 422, 'invalid', 'limit');
      assertError(await api.get(`${kind.path}?starting_after=zz-zzzzz`), 422, 'invalid', 'starting_after');
      assertError(await api.get(`${kind.path}?ending_before=zz-zzzzz`), 422, 'invalid', 'ending_before');
      const profile = await api.createProfile();
      assertError(await api.get(`${kind.path}?starting_after=${profile}`), 422, 'invalid', 'starting_after');
    });

    test('forged, malformed and other kinds of ids are 404 not_found', async () => {
      const api = await tenant(t);
      const profile = await api.createProfile();
      for (const id of ['zz-zzzzz', 'abc', profile]) {
        assertError(await api.get(`${kind.path}/${id}`), 404, 'not_found', 'id');
        assertError(await api.patch(`${kind.path}/${id}`, { name: 'x' }), 404, 'not_found', 'id');
        assertError(await api.delete(`${kind.path}/${id}`), 404, 'not_found', 'id');
      }
    });
  });
}

describe('app image_url', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('an http(s) URL stored as given; null or an empty value on update removes it', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const url = 'https://www.beautyandcare.com/apps/awesome.jpg?size=Large&v=2';
      const app = await created(api, '/attribution/apps', { name: 'Beauty & Care', image_url: url });
      assert.equal(app.image_url, url);
      assert.equal((await api.patch<NamedJson>(`/attribution/apps/${app.id}`, { name: 'Renamed' })).body.image_url, url, 'kept when not given');
      const http = 'http://cdn.example.com/icon.png';
      assert.equal((await api.patch<NamedJson>(`/attribution/apps/${app.id}`, { image_url: http })).body.image_url, http);
      // null reaches a form as `image_url=`.
      const removed = await api.patch<NamedJson>(`/attribution/apps/${app.id}`, { image_url: null });
      assert.equal(removed.status, 200, removed.text);
      assert.equal(removed.body.image_url, null);
      assert.equal((await api.get<NamedJson>(`/attribution/apps/${app.id}`)).body.image_url, null);
      assert.equal((await created(api, '/attribution/apps', { name: 'No icon', image_url: '' })).image_url, null);
    }
  });

  test('anything but an absolute http(s) URL is 422 invalid image_url', async () => {
    const api = await tenant(t);
    for (const bad of ['not a url', 'www.example.com/icon.png', 'ftp://example.com/icon.png', 'javascript:alert(1)', `https://example.com/${'x'.repeat(2048)}`]) {
      assertError(await api.post('/attribution/apps', { name: 'Bad', image_url: bad }), 422, 'invalid', 'image_url');
    }
    const app = await created(api, '/attribution/apps', { name: 'Good' });
    assertError(await api.patch(`/attribution/apps/${app.id}`, { image_url: 'data:image/png;base64,AAAA' }), 422, 'invalid', 'image_url');
    assert.deepEqual((await api.get(`/attribution/apps/${app.id}`)).body, app);
  });
});
