import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, tenant, type ActivityJson, type AudienceApp } from '../audience/audience-client.js';

/** Deleting an action through the API removes the events tracked with it, end to end. */
describe('actions and their events', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('DELETE /v1/attribution/actions/:id deletes its tracked events and their activity entries', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ email: 'eve@example.com' });
    const doomed = await api.post<{ id: string }>('/attribution/actions', { name: 'promo.clicked', passive: false });
    const kept = await api.post<{ id: string }>('/attribution/actions', { name: 'promo.shared' });
    assert.equal(doomed.status, 201, doomed.text);
    assert.equal(kept.status, 201, kept.text);
    for (const action of ['promo.clicked', 'promo.clicked', 'promo.shared']) {
      const res = await api.post('/attribution/events', { action, profile });
      assert.equal(res.status, 201, res.text);
    }
    const events = async () => (await api.get<{ events: Array<{ id: string }> }>(`/attribution/events?profile=${profile}`)).body.events;
    const trail = async () => (await api.get<{ activity: ActivityJson[] }>(`/profiles/${profile}/activity?limit=100`)).body.activity;
    const before = await events();
    assert.equal(before.length, 3);
    const trailBefore = await trail();

    const deleted = await api.delete(`/attribution/actions/${doomed.body.id}`);
    assert.equal(deleted.status, 200, deleted.text);
    const after = await events();
    assert.equal(after.length, 1);
    for (const event of before.filter((item) => !after.some((left) => left.id === item.id))) {
      assertError(await api.get(`/attribution/events/${event.id}`), 404, 'not_found');
    }
    const trailAfter = await trail();
    assert.equal(trailBefore.length - trailAfter.length, 2, 'the two events of the deleted action leave the trail');
    assert.deepEqual((await api.get(`/attribution/actions/${kept.body.id}`)).status, 200);
  });
});
