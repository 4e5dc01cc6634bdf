import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { actionsByName } from '../../src/core/tracking/actions.service.js';
import { assertError, audienceApp, ENCODINGS, sortedKeys, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

/** POST/GET/PATCH/DELETE /v1/attribution/actions[/:id] and GET /v1/attribution/actions. */

interface ActionJson {
  id: string;
  type: 'action';
  created_at: number;
  goal: boolean;
  name: string;
  passive: boolean;
  title: string;
}

const ACTION_KEYS = ['created_at', 'goal', 'id', 'name', 'passive', 'title', 'type'];
const PATH = '/attribution/actions';

async function createAction(api: Api, body: Record<string, unknown>): Promise<ActionJson> {
  const res = await api.post<ActionJson>(PATH, body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

describe('actions', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  /** The public id of a built-in action, materialised the way event tracking does it. */
  async function builtinId(api: Api, name: string): Promise<string> {
    const row = (await actionsByName(forBusiness(t.core, api.businessId), [name])).get(name);
    assert.ok(row);
    return t.ids.encode('action', row.id);
  }

  test('the action object: create 201 with the documented defaults, retrieve, update, delete', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const res = await api.post<ActionJson>(PATH, { name: 'signup_form.completed' });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(sortedKeys(res.body), ACTION_KEYS);
      const defaults = { type: 'action', created_at: t.clock.seconds, goal: false, name: 'signup_form.completed', passive: true, title: 'signup_form.completed' };
      assert.deepEqual({ ...res.body, id: '-' }, { id: '-', ...defaults });
      const { id } = res.body;
      assert.deepEqual((await api.get<ActionJson>(`${PATH}/${id}`)).body, res.body);

      t.clock.tick();
      const updated = await api.patch<ActionJson>(`${PATH}/${id}`, { name: 'contact.subscribed', title: 'Contact Subscribed' });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body, { ...res.body, name: 'contact.subscribed', title: 'Contact Subscribed' });
      assert.deepEqual((await api.get<ActionJson>(`${PATH}/${id}`)).body, updated.body);

      const deleted = await api.delete<Record<string, unknown>>(`${PATH}/${id}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.body, { id, type: 'action', deleted: true });
      assertError(await api.get(`${PATH}/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`${PATH}/${id}`, { name: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`${PATH}/${id}`), 404, 'not_found', 'id');
    }
  });

  test('title, goal and passive as given, in both encodings', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const action = await createAction(api, { name: 'subscriber.voted', title: 'Subscriber voted', goal: true, passive: false });
      assert.deepEqual({ goal: action.goal, passive: action.passive, title: action.title }, { goal: true, passive: false, title: 'Subscriber voted' });
      const flipped = await api.patch<ActionJson>(`${PATH}/${action.id}`, { goal: false, passive: true });
      assert.deepEqual(flipped.body, { ...action, goal: false, passive: true });
      const spelled = await createAction(api, { name: 'subscriber.signed_up', goal: '1', passive: '0' });
      assert.deepEqual({ goal: spelled.goal, passive: spelled.passive }, { goal: true, passive: false });
      assertError(await api.post(PATH, { name: 'x.y', goal: 'maybe' }), 422, 'invalid', 'goal');
      assertError(await api.patch(`${PATH}/${action.id}`, { passive: 'sometimes' }), 422, 'invalid', 'passive');
    }
  });

  test('names: required, trimmed, at most 200 characters, unique exactly; built-in names are taken', async () => {
    const api = await tenant(t);
    assertError(await api.post(PATH, {}), 400, 'parameter_missing', 'name');
    assertError(await api.post(PATH, { title: 'No name' }), 400, 'parameter_missing', 'name');
    for (const encoding of ENCODINGS) {
      assertError(await api.as(encoding).post(PATH, { name: '' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.as(encoding).post(PATH, { name: ' \t ' }), 422, 'parameter_invalid_empty', 'name');
    }
    assertError(await api.post(PATH, { name: 'a'.repeat(201) }), 422, 'invalid', 'name');
    assertError(await api.post(PATH, { name: 'ok', title: 't'.repeat(201) }), 422, 'invalid', 'title');
    assert.equal((await createAction(api, { name: 'a'.repeat(200) })).name.length, 200);
    const voted = await createAction(api, { name: ' subscriber.voted ' });
    assert.equal(voted.name, 'subscriber.voted');
    assert.equal((await createAction(api, { name: 'Voted by SMS' })).name, 'Voted by SMS', 'any non-blank name is allowed');
    assertError(await api.post(PATH, { name: 'subscriber.voted' }), 422, 'parameter_not_unique', 'name');
    assert.equal((await createAction(api, { name: 'Subscriber.Voted' })).name, 'Subscriber.Voted', 'names are case-sensitive');
    for (const name of ['order.placed', 'cart.abandoned', 'app.spent', ' refund.received ']) {
      assertError(await api.post(PATH, { name }), 422, 'parameter_not_unique', 'name');
      assertError(await api.patch(`${PATH}/${voted.id}`, { name }), 422, 'parameter_not_unique', 'name');
    }
    assertError(await api.patch(`${PATH}/${voted.id}`, { name: 'Subscriber.Voted' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.patch(`${PATH}/${voted.id}`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
    assert.deepEqual((await api.get(`${PATH}/${voted.id}`)).body, voted, 'refused updates changed nothing');
    const other = await tenant(t);
    assert.equal((await createAction(other, { name: 'subscriber.voted' })).name, 'subscriber.voted', 'another business may use the name');
  });

  test('PATCH is partial; a default title follows a rename, an explicit one stays, an empty one resets', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const plain = await createAction(api, { name: 'lead.created', goal: true });
      const renamed = await api.patch<ActionJson>(`${PATH}/${plain.id}`, { name: 'lead.captured' });
      assert.deepEqual(renamed.body, { ...plain, name: 'lead.captured', title: 'lead.captured' });
      assert.deepEqual((await api.patch<ActionJson>(`${PATH}/${plain.id}`, {})).body, renamed.body);
      const titled = await api.patch<ActionJson>(`${PATH}/${plain.id}`, { title: 'Lead captured' });
      assert.equal(titled.body.title, 'Lead captured');
      const again = await api.patch<ActionJson>(`${PATH}/${plain.id}`, { name: 'lead.won' });
      assert.deepEqual(again.body, { ...titled.body, name: 'lead.won' }, 'an explicit title stays');
      assert.equal((await api.patch<ActionJson>(`${PATH}/${plain.id}`, { title: '' })).body.title, 'lead.won');
      assert.equal((await api.patch<ActionJson>(`${PATH}/${plain.id}`, { title: 'Won', name: 'lead.closed' })).body.title, 'Won');
      assert.equal((await api.patch<ActionJson>(`${PATH}/${plain.id}`, { title: null })).body.title, 'lead.closed');
      assert.equal((await api.get<ActionJson>(`${PATH}/${plain.id}`)).body.goal, true, 'goal untouched throughout');
    }
  });

  test('built-in actions: retrievable by id, never listed, PATCH and DELETE are 422 not_allowed', async () => {
    const api = await tenant(t);
    const placed = await builtinId(api, 'order.placed');
    const viewed = await builtinId(api, 'product.viewed');
    const res = await api.get<ActionJson>(`${PATH}/${placed}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual({ ...res.body, created_at: 0 }, { id: placed, type: 'action', created_at: 0, goal: false, name: 'order.placed', passive: false, title: 'Order placed' });
    assert.deepEqual((await api.get<ActionJson>(`${PATH}/${viewed}`)).body.passive, true);
    for (const encoding of ENCODINGS) {
      assertError(await api.as(encoding).patch(`${PATH}/${placed}`, { goal: true }), 422, 'not_allowed', 'id');
      assertError(await api.as(encoding).patch(`${PATH}/${placed}`, { name: 'order.made' }), 422, 'not_allowed', 'id');
    }
    assertError(await api.delete(`${PATH}/${placed}`), 422, 'not_allowed', 'id');
    assert.deepEqual((await api.get(`${PATH}/${placed}`)).body, res.body, 'unchanged');
    const custom = await createAction(api, { name: 'signup_form.completed' });
    assert.deepEqual((await api.get(PATH)).body, { actions: [custom] }, 'only custom actions are listed');
  });

  test('GET /v1/attribution/actions: {actions: […]} newest first, paginated', async () => {
    const api = await tenant(t);
    assert.deepEqual((await api.get(PATH)).body, { actions: [] });
    const made: ActionJson[] = [];
    for (const name of ['a.one', 'a.two', 'a.three', 'a.four']) {
      made.push(await createAction(api, { name }));
      await builtinId(api, name === 'a.two' ? 'cart.added' : 'order.shipped');
    }
    const page = async (query = '') => {
      const res = await api.get<{ actions: ActionJson[] }>(`${PATH}${query}`);
      assert.equal(res.status, 200, res.text);
      return res.body.actions.map((action) => action.name);
    };
    assert.deepEqual(await page(), ['a.four', 'a.three', 'a.two', 'a.one']);
    assert.deepEqual(await page('?limit=3'), ['a.four', 'a.three', 'a.two']);
    assert.deepEqual(await page(`?limit=2&starting_after=${made[2]?.id}`), ['a.two', 'a.one']);
    assert.deepEqual(await page(`?ending_before=${made[1]?.id}`), ['a.four', 'a.three']);
    assertError(await api.get(`${PATH}?limit=x`), 422, 'invalid', 'limit');
    assertError(await api.get(`${PATH}?ending_before=zz-zzzzz`), 422, 'invalid', 'ending_before');
  });

  test('forged ids are 404 on every route', async () => {
    const api = await tenant(t);
    for (const id of ['zz-zzzzz', 'order.placed']) {
      assertError(await api.get(`${PATH}/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`${PATH}/${id}`, { name: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`${PATH}/${id}`), 404, 'not_found', 'id');
    }
  });

  test('deleting an action deletes its events and their trail entries, nothing else', async () => {
    const api = await tenant(t);
    const scoped = forBusiness(t.core, api.businessId);
    const doomed = await createAction(api, { name: 'promo.clicked' });
    const kept = await createAction(api, { name: 'promo.shared' });
    const profile = await api.createProfile({ email: 'e@example.com' });
    const profileId = t.ids.decode('profile', profile);
    assert.ok(profileId);
    const at = t.clock.seconds;
    /** One event of the action, as ingestion writes it: the event is its own trail entry. */
    const track = async (action: ActionJson): Promise<number> => {
      const actionId = t.ids.decode('action', action.id);
      assert.ok(actionId);
      const event = await t.core.db
        .insertInto('events')
        .values({ business_id: api.businessId, action_id: actionId, profile_id: profileId, metadata: '{}', tracked_at: at, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      return event.id;
    };
    await t.core.db
      .insertInto('profile_activity')
      .values({ business_id: api.businessId, profile_id: profileId, kind: 'list_added', data: '{"list":"VIP"}', occurred_at: at })
      .execute();
    await track(doomed);
    await track(doomed);
    const stays = await track(kept);

    const events = () => scoped.tenant.selectFrom('events').select('id').orderBy('id').execute();
    const trail = async () => ((await api.get(`/profiles/${profile}/activity`)).body as { activity: Array<{ kind: string; data: Record<string, unknown> }> }).activity.map((entry) => [entry.kind, entry.data]);
    assert.equal((await events()).length, 3);
    assert.equal((await trail()).filter(([kind]) => kind === 'event').length, 3);
    assert.deepEqual(await api.delete(`${PATH}/${doomed.id}`).then((res) => res.body), { id: doomed.id, type: 'action', deleted: true });
    assert.deepEqual(await events(), [{ id: stays }]);
    // At the same second, entries that are no events come first.
    assert.deepEqual(
      (await trail()).filter(([kind]) => kind === 'event' || kind === 'list_added'),
      [
        ['list_added', { list: 'VIP' }],
        ['event', { action: 'promo.shared' }],
      ],
      'the deleted events left the trail; entries that are no events stay',
    );
  });
});
