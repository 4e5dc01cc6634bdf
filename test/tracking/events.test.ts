import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, sortedKeys, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

interface EventJson {
  id: string;
  type: 'event';
  action: { id: string; name: string; title: string };
  amount: number | null;
  converted_amount: string | null;
  converted_amount_currency: string | null;
  created_at: number;
  currency: string | null;
  metadata: Record<string, unknown>;
  profile: string | null;
  session: string | null;
  trackable: Record<string, unknown> | null;
  tracked_at: string;
  url: string | null;
}

const EVENT_KEYS = ['action', 'amount', 'converted_amount', 'converted_amount_currency', 'created_at', 'currency', 'id', 'metadata', 'profile', 'session', 'trackable', 'tracked_at', 'type', 'url'];
const TOKEN = '730a8d6b-fe22-4df0-b517-cc2e8197bd67';

async function events(api: Api, query = ''): Promise<EventJson[]> {
  const res = await api.get<{ events: EventJson[] }>(`/attribution/events${query}`);
  assert.equal(res.status, 200, res.text);
  return res.body.events;
}

async function track(api: Api, body: Record<string, unknown>): Promise<void> {
  const res = await api.post('/attribution/events', body);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body, { status: 'received', state: 'ok' });
}

describe('events', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('a custom action must exist; tracking by profile answers 201 and the event reads back in the documented shape', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ first_name: 'Ana' });
      assertError(await api.post('/attribution/events', { action: 'signup_form.completed', profile }), 422, 'invalid', 'action');
      assert.equal((await api.post('/attribution/actions', { name: 'signup_form.completed', title: 'Signup-form completed' })).status, 201);
      await track(api, { action: 'signup_form.completed', profile, amount: '19.90', metadata: { source: 'landing' }, url: 'https://shop.example/signup' });
      const [event] = await events(api);
      assert.ok(event);
      assert.deepEqual(sortedKeys(event), EVENT_KEYS);
      assert.deepEqual(
        { ...event, id: '-', action: { ...event.action, id: '-' } },
        {
          id: '-',
          type: 'event',
          action: { id: '-', name: 'signup_form.completed', title: 'Signup-form completed' },
          amount: 19.9,
          // Test businesses report in EUR: 19.90 USD at the default set's 1.0321 USD per euro.
          converted_amount: '19.28',
          converted_amount_currency: 'EUR',
          created_at: t.clock.seconds,
          currency: 'USD',
          metadata: { source: 'landing' },
          profile,
          session: null,
          trackable: null,
          tracked_at: String(t.clock.seconds),
          url: 'https://shop.example/signup',
        },
      );
      assert.deepEqual((await api.get<EventJson>(`/attribution/events/${event.id}`)).body, event);
    }
  });

  test('profile or session is required; unknown profile and session are 404', async () => {
    const api = await tenant(t);
    assertError(await api.post('/attribution/events', { action: 'product.viewed' }), 400, 'parameter_missing', 'profile');
    assertError(await api.post('/attribution/events', { action: 'app.installed', profile: 'zz-zzzzz' }), 404, 'not_found', 'profile');
    assertError(await api.post('/attribution/events', {}), 400, 'parameter_missing', 'action');
  });

  test('a session token we never saw becomes a session; an unassigned session is assigned to the profile given', async () => {
    const api = await tenant(t);
    await api.post('/attribution/actions', { name: 'page.viewed' });
    await track(api, { action: 'page.viewed', session: TOKEN });
    const [anonymous] = await events(api);
    assert.equal(anonymous?.profile, null);
    assert.ok(anonymous?.session);
    const profile = await api.createProfile();
    await track(api, { action: 'page.viewed', session: TOKEN, profile });
    const all = await events(api);
    assert.deepEqual(
      all.map((event) => event.profile),
      [profile, profile],
      'the earlier anonymous event moved to the profile too',
    );
    const other = await api.createProfile();
    assertError(await api.post('/attribution/events', { action: 'page.viewed', session: TOKEN, profile: other }), 422, 'session_assigned_to_another_profile', 'session');
    // By session alone, the event inherits the session's profile.
    await track(api, { action: 'page.viewed', session_id: anonymous?.session });
    assert.equal((await events(api))[0]?.profile, profile);
  });

  test('concurrent events of many requests are all stored, each exactly once', async () => {
    const api = await tenant(t);
    await api.post('/attribution/actions', { name: 'burst' });
    const profile = await api.createProfile();
    await Promise.all(Array.from({ length: 300 }, (_, index) => track(api, { action: 'burst', profile, metadata: { index: String(index) } })));
    const seen = new Set<string>();
    let cursor = '';
    for (;;) {
      const page = await events(api, `?limit=100${cursor}`);
      for (const event of page) seen.add(String(event.metadata.index));
      if (page.length < 100) break;
      cursor = `&starting_after=${page.at(-1)?.id}`;
    }
    assert.equal(seen.size, 300);
  });
});

describe('event rules and lifecycle', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('built-in families require their trackable; app.spent requires amount and currency', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    assertError(await api.post('/attribution/events', { action: 'app.installed', profile }), 400, 'parameter_missing', 'app');
    assertError(await api.post('/attribution/events', { action: 'order.placed', profile }), 400, 'parameter_missing', 'order');
    assertError(await api.post('/attribution/events', { action: 'cart.abandoned', profile }), 400, 'parameter_missing', 'cart');
    assertError(await api.post('/attribution/events', { action: 'coupon.redeemed', profile }), 400, 'parameter_missing', 'coupon');
    assertError(await api.post('/attribution/events', { action: 'form.completed', profile }), 400, 'parameter_missing', 'form');
    assertError(await api.post('/attribution/events', { action: 'refund.requested', profile }), 400, 'parameter_missing', 'refund');
    assertError(await api.post('/attribution/events', { action: 'product.viewed', profile }), 400, 'parameter_missing', 'product');
    assertError(await api.post('/attribution/events', { action: 'app.installed', profile, app: 'zz-zzzzz' }), 404, 'not_found', 'app');
    const app = (await api.post<{ id: string }>('/attribution/apps', { name: 'Beauty & Care' })).body.id;
    await track(api, { action: 'app.installed', app, profile });
    assertError(await api.post('/attribution/events', { action: 'app.spent', app, profile }), 400, 'parameter_missing');
    assertError(await api.post('/attribution/events', { action: 'app.spent', app, profile, currency: 'EUR' }), 400, 'parameter_missing', 'amount');
    assertError(await api.post('/attribution/events', { action: 'app.spent', app, profile, amount: 'ten' }), 422, 'invalid', 'amount');
    assertError(await api.post('/attribution/events', { action: 'app.spent', app, profile, amount: 5, currency: 'XYZ' }), 422, 'invalid', 'currency');
    await track(api, { action: 'app.spent', app, profile, amount: 4.99, currency: 'eur' });
    const [spent, installed] = await events(api);
    assert.deepEqual(spent?.trackable, { id: app, type: 'app', name: 'Beauty & Care' });
    assert.deepEqual([spent?.amount, spent?.currency, spent?.converted_amount, spent?.converted_amount_currency], [4.99, 'EUR', '4.99', 'EUR']);
    assert.deepEqual(spent?.action.name, 'app.spent');
    assert.equal(installed?.action.title, 'App installed');
  });

  test('tracked_at defaults to created_at, can be in the past, not in the future', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    await api.post('/attribution/actions', { name: 'visit' });
    await track(api, { action: 'visit', profile, tracked_at: 1665684173 });
    assert.equal((await events(api))[0]?.tracked_at, '1665684173');
    assertError(await api.post('/attribution/events', { action: 'visit', profile, tracked_at: t.clock.seconds + 3 * 86400 }), 422, 'invalid', 'tracked_at');
    assertError(await api.post('/attribution/events', { action: 'visit', profile, tracked_at: 'yesterday' }), 422, 'invalid', 'tracked_at');
  });

  test('an event appears in the profile trail and moves its last activity; update and delete keep the trail right', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    await api.post('/attribution/actions', { name: 'visit' });
    await api.post('/attribution/actions', { name: 'purchase.made', passive: false });
    t.clock.tick(60);
    await track(api, { action: 'visit', profile });
    assert.equal((await api.profile(profile)).last_activity_at, t.clock.seconds);
    const trail = await api.get<{ activity: Array<{ kind: string; data: Record<string, unknown> }> }>(`/profiles/${profile}/activity`);
    assert.equal(trail.status, 200, trail.text);
    assert.deepEqual(trail.body.activity[0]?.data.action, 'visit');

    const [event] = await events(api);
    const updated = await api.patch<EventJson>(`/attribution/events/${event?.id}`, { action: 'purchase.made', amount: '10', currency: 'USD', metadata: { a: '1' } });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual([updated.body.action.name, updated.body.amount, updated.body.currency, updated.body.metadata], ['purchase.made', 10, 'USD', { a: '1' }]);
    const after = await api.get<{ activity: Array<{ kind: string; data: Record<string, unknown> }> }>(`/profiles/${profile}/activity`);
    assert.equal(after.body.activity.filter((entry) => entry.kind === 'event').length, 1);
    assert.equal(after.body.activity.find((entry) => entry.kind === 'event')?.data.action, 'purchase.made');

    const deleted = await api.delete(`/attribution/events/${event?.id}`);
    assert.deepEqual(deleted.body, { id: event?.id, type: 'event', deleted: true });
    assertError(await api.get(`/attribution/events/${event?.id}`), 404, 'not_found');
    const gone = await api.get<{ activity: Array<{ kind: string }> }>(`/profiles/${profile}/activity`);
    assert.equal(gone.body.activity.filter((entry) => entry.kind === 'event').length, 0);
  });

  /** A profile whose trail will hold `visit` events beside the list `Greens`; the clock a second on. */
  async function trailFixture(): Promise<{ api: Api; profile: string }> {
    const api = await tenant(t);
    const profile = await api.createProfile();
    await api.post('/attribution/actions', { name: 'visit' });
    await api.createList('Greens');
    t.clock.tick();
    return { api, profile };
  }

  test('the trail merges events with the other entries by time and pages through them both ways', async () => {
    const { api, profile } = await trailFixture();
    await track(api, { action: 'visit', profile, metadata: { n: '1' } });
    await track(api, { action: 'visit', profile, metadata: { n: '2' } });
    t.clock.tick();
    await api.post(`/lists/Greens/profiles/${profile}`);
    t.clock.tick();
    await track(api, { action: 'visit', profile, metadata: { n: '3' } });
    t.clock.tick();
    await api.post(`/profiles/${profile}/subscribe`);
    await track(api, { action: 'visit', profile, metadata: { n: '4' } });

    type Entry = { id: string; kind: string; occurred_at: number };
    const page = async (query: string) => (await api.get<{ activity: Entry[] }>(`/profiles/${profile}/activity${query}`)).body.activity;
    const all = await page('?limit=100');
    // At the same second an entry that is no event comes first.
    assert.deepEqual(
      all.map((entry) => entry.kind),
      ['subscribed', 'event', 'event', 'list_added', 'event', 'event', 'created'],
    );
    const ids = all.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, 'every entry has its own id');
    const times = all.map((entry) => entry.occurred_at);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));

    for (const limit of [1, 2, 3]) {
      const down: string[] = [];
      for (let cursor = ''; ; ) {
        const got = (await page(`?limit=${limit}${cursor}`)).map((entry) => entry.id);
        down.push(...got);
        if (got.length < limit) break;
        cursor = `&starting_after=${got.at(-1)}`;
      }
      assert.deepEqual(down, ids, `pages of ${limit} going down`);
      const up: string[] = [];
      for (let cursor = `&ending_before=${ids.at(-1)}`; ; ) {
        const got = (await page(`?limit=${limit}${cursor}`)).map((entry) => entry.id);
        up.unshift(...got);
        if (got.length < limit) break;
        cursor = `&ending_before=${got[0]}`;
      }
      assert.deepEqual(up, ids.slice(0, -1), `pages of ${limit} going up`);
    }
    for (let from = 0; from < ids.length; from++) {
      for (let to = from + 1; to < ids.length; to++) {
        assert.deepEqual(
          (await page(`?starting_after=${ids[from]}&ending_before=${ids[to]}`)).map((entry) => entry.id),
          ids.slice(from + 1, to),
          `between entries ${from} and ${to}`,
        );
      }
    }
    assertError(await api.get(`/profiles/${profile}/activity?ending_before=zzzz-zzz`), 422, 'invalid', 'ending_before');
  });

  test('trail pages stay put while entries of either source are added', async () => {
    const { api, profile } = await trailFixture();
    await track(api, { action: 'visit', profile, metadata: { n: '1' } });
    t.clock.tick();
    await track(api, { action: 'visit', profile, metadata: { n: '2' } });

    type Entry = { id: string; kind: string };
    const page = async (query: string) => (await api.get<{ activity: Entry[] }>(`/profiles/${profile}/activity${query}`)).body.activity;
    const first = await page('?limit=2');
    assert.deepEqual(
      first.map((entry) => entry.kind),
      ['event', 'event'],
    );
    t.clock.tick();
    await api.post(`/lists/Greens/profiles/${profile}`);
    t.clock.tick();
    await track(api, { action: 'visit', profile, metadata: { n: '3' } });

    // Older than the first page: only what was there below it, not the entries added since.
    assert.deepEqual(
      (await page(`?starting_after=${first[1]?.id}`)).map((entry) => entry.kind),
      ['created'],
    );
    // Newer than the first page: exactly the entries added since, newest first.
    const newer = await page(`?ending_before=${first[0]?.id}`);
    assert.deepEqual(
      newer.map((entry) => entry.kind),
      ['event', 'list_added'],
    );
    // An entry keeps its id while others are added around it.
    const all = await page('?limit=100');
    assert.deepEqual(
      all.map((entry) => entry.id),
      [...newer, ...first, ...(await page(`?starting_after=${first[1]?.id}`))].map((entry) => entry.id),
    );
    assertError(await api.get(`/profiles/${profile}/activity?starting_after=${t.ids.encodeTuple('activity', [1, 0, 0])}`), 422, 'invalid', 'starting_after');
  });

  test('PATCH /v1/sessions/:id attaches by id or client uuid, moves the session events, and reassigns', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      await api.post('/attribution/actions', { name: 'page.viewed' });
      await track(api, { action: 'page.viewed', session: TOKEN });
      await track(api, { action: 'page.viewed', session: TOKEN });
      const ana = await api.createProfile();
      const attached = await api.patch<Record<string, unknown>>(`/sessions/${TOKEN}`, { profile: ana });
      assert.equal(attached.status, 200, attached.text);
      assert.deepEqual(sortedKeys(attached.body), ['created_at', 'id', 'profile', 'type', 'uuid']);
      assert.deepEqual({ ...attached.body, id: '-', created_at: 0 }, { id: '-', type: 'session', profile: ana, created_at: 0, uuid: TOKEN });
      assert.deepEqual(
        (await events(api)).map((event) => event.profile),
        [ana, ana],
      );
      const ben = await api.createProfile();
      const moved = await api.patch<Record<string, unknown>>(`/sessions/${String(attached.body.id)}`, { profile: ben });
      assert.equal(moved.body.profile, ben);
      assert.deepEqual(
        (await events(api)).map((event) => event.profile),
        [ben, ben],
      );
      const anaTrail = await api.get<{ activity: Array<{ kind: string }> }>(`/profiles/${ana}/activity`);
      assert.equal(anaTrail.body.activity.filter((entry) => entry.kind === 'event').length, 0);

      // A uuid never seen creates the session, attached.
      const fresh = await api.patch<Record<string, unknown>>('/sessions/bBJn9vR15yPaYkWmR2QK0jopMeNxrA6l', { profile: ana });
      assert.equal(fresh.status, 200, fresh.text);
      assert.equal(fresh.body.uuid, 'bBJn9vR15yPaYkWmR2QK0jopMeNxrA6l');
      assertError(await api.patch('/sessions/zz-zzzzz', { profile: ana }), 422, 'invalid', 'id');
      assertError(await api.patch(`/sessions/${TOKEN}`, {}), 400, 'parameter_missing', 'profile');
      assertError(await api.patch(`/sessions/${TOKEN}`, { profile: 'zz-zzzzz' }), 404, 'not_found', 'profile');
    }
  });

  test("another business's events, sessions and profiles are not found", async () => {
    const mine = await tenant(t);
    const theirs = await tenant(t);
    await mine.post('/attribution/actions', { name: 'visit' });
    await theirs.post('/attribution/actions', { name: 'visit' });
    const profile = await mine.createProfile();
    await track(mine, { action: 'visit', profile, session: TOKEN });
    const [event] = await events(mine);
    assertError(await theirs.get(`/attribution/events/${event?.id}`), 404, 'not_found');
    assertError(await theirs.patch(`/attribution/events/${event?.id}`, { amount: 1 }), 404, 'not_found');
    assertError(await theirs.delete(`/attribution/events/${event?.id}`), 404, 'not_found');
    assertError(await theirs.post('/attribution/events', { action: 'visit', profile }), 404, 'not_found', 'profile');
    assertError(await theirs.get(`/sessions/${event?.session}`), 404, 'not_found');
    assertError(await theirs.patch(`/sessions/${event?.session}`, { profile: await theirs.createProfile() }), 404, 'not_found');
    assertError(await theirs.post('/attribution/events', { action: 'visit', session: event?.session }), 404, 'not_found', 'session');
    // The same client token is a separate session of each business.
    await track(theirs, { action: 'visit', session: TOKEN });
    assert.equal((await events(theirs))[0]?.profile, null);
    assert.deepEqual(await events(theirs, `?session=${TOKEN}`).then((list) => list.length), 1);
  });
});

describe('event batches and review findings', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('app.spent requires a currency too; a refused event assigns no session', async () => {
    const api = await tenant(t);
    const app = (await api.post<{ id: string }>('/attribution/apps', { name: 'Shop app' })).body.id;
    const ana = await api.createProfile();
    const ben = await api.createProfile();
    const session = 'refused-session-000000001';
    assertError(await api.post('/attribution/events', { action: 'app.spent', app, profile: ana, session, amount: 3 }), 400, 'parameter_missing', 'currency');
    // The refusal left the session unassigned: Ben may claim it.
    await track(api, { action: 'app.installed', app, profile: ben, session });
    assert.equal((await events(api))[0]?.profile, ben);
  });

  test('events of one batch: a session-only event sent beside the one that assigns the session gets the profile', async () => {
    const api = await tenant(t);
    await api.post('/attribution/actions', { name: 'visit' });
    for (let round = 0; round < 5; round++) {
      const profile = await api.createProfile();
      const session = `same-batch-session-${round}-0000`;
      await Promise.all([track(api, { action: 'visit', session, profile }), track(api, { action: 'visit', session }), track(api, { action: 'visit', session })]);
      const list = await events(api, `?session=${session}`);
      assert.deepEqual(
        list.map((event) => event.profile),
        [profile, profile, profile],
      );
    }
  });

  test('two profiles racing for one unassigned session: exactly one wins', async () => {
    const api = await tenant(t);
    await api.post('/attribution/actions', { name: 'visit' });
    const [ana, ben] = [await api.createProfile(), await api.createProfile()];
    const session = 'raced-session-00000000001';
    const answers = await Promise.all([api.post('/attribution/events', { action: 'visit', session, profile: ana }), api.post('/attribution/events', { action: 'visit', session, profile: ben })]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, 422]);
    const owners = new Set((await events(api, `?session=${session}`)).map((event) => event.profile));
    assert.equal(owners.size, 1);
  });

  test('app_parameters sent with every event track the same app', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    await track(api, { action: 'app.installed', profile, app_parameters: { name: 'Mobile' } });
    await track(api, { action: 'app.removed', profile, app_parameters: { name: 'Mobile' } });
    const [removed, installed] = await events(api);
    assert.ok(removed?.trackable);
    assert.equal(removed.trackable.id, installed?.trackable?.id);
  });

  test('cart.abandoned requires a cart (products alone are no cart); cart_parameters make one', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile();
    await api.post('/attribution/products', { name: 'Socks', sku: 'SOCK', price: { amount: 5, currency: 'USD' } });
    assertError(await api.post('/attribution/events', { action: 'cart.abandoned', profile, products: ['SOCK'] }), 400, 'parameter_missing', 'cart');
    await track(api, { action: 'cart.added', profile, products: ['SOCK'] });
    const cart = String((await events(api))[0]?.trackable?.id);
    await track(api, { action: 'cart.abandoned', profile, cart, products: ['SOCK'] });
    const items = (await api.get<{ items: Array<{ quantity: number }> }>(`/attribution/carts/${cart}`)).body.items;
    assert.deepEqual(
      items.map((item) => item.quantity),
      [1],
      'abandoning changes no items',
    );
    await track(api, { action: 'cart.abandoned', profile, cart_parameters: { reference: 'C-9' } });
    assert.equal((await events(api))[0]?.trackable?.type, 'cart');
  });

  test('a non-passive action moves the conversation to the top of the inbox; a passive one does not', async () => {
    const api = await tenant(t);
    await api.post('/attribution/actions', { name: 'quiet' });
    await api.post('/attribution/actions', { name: 'loud', passive: false });
    const profile = await api.createProfile();
    const profileId = t.ids.decode('profile', profile) as number;
    const inboxAt = async () => (await t.core.db.selectFrom('profiles').select('inbox_at').where('id', '=', profileId).executeTakeFirstOrThrow()).inbox_at;
    t.clock.tick(5);
    await track(api, { action: 'quiet', profile });
    assert.equal(await inboxAt(), null);
    t.clock.tick(5);
    await track(api, { action: 'loud', profile });
    assert.equal(await inboxAt(), t.clock.seconds);

    // An update that makes the event one that asks for attention moves it too.
    await track(api, { action: 'quiet', profile });
    const [quiet] = await events(api);
    t.clock.tick(5);
    assert.equal((await api.patch(`/attribution/events/${quiet?.id}`, { amount: '1', currency: 'USD' })).status, 200);
    assert.equal(await inboxAt(), t.clock.seconds - 5, 'a passive event changed in passing leaves the inbox');
    assert.equal((await api.patch(`/attribution/events/${quiet?.id}`, { action: 'loud' })).status, 200);
    assert.equal(await inboxAt(), t.clock.seconds);
  });

  for (const encoding of ENCODINGS) {
    test(`an update keeps the action's rules (${encoding})`, async () => {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile();
      await api.post('/attribution/actions', { name: 'visit' });
      await track(api, { action: 'order.placed', profile, order_parameters: { reference: 'O-1', items: [{ product_parameters: { name: 'Mug', price: 9 }, quantity: 1 }] } });
      await track(api, { action: 'app.spent', profile, amount: '4.99', currency: 'EUR', app_parameters: { name: 'Games' } });
      await track(api, { action: 'visit', profile });
      const [visit, spent, placed] = await events(api);
      const app = spent?.trackable?.id;
      const order = placed?.trackable?.id;

      // The family's trackable stays required, and another family's is refused.
      assertError(await api.patch(`/attribution/events/${placed?.id}`, { order: '' }), 400, 'parameter_missing', 'order');
      assertError(await api.patch(`/attribution/events/${placed?.id}`, { app }), 422, 'invalid', 'app');
      assertError(await api.patch(`/attribution/events/${visit?.id}`, { action: 'order.shipped' }), 400, 'parameter_missing', 'order');
      const shipped = await api.patch<EventJson>(`/attribution/events/${visit?.id}`, { action: 'order.shipped', order });
      assert.equal(shipped.status, 200, shipped.text);
      assert.deepEqual([shipped.body.action.name, shipped.body.trackable?.id], ['order.shipped', order]);
      // app.spent keeps its money; an event cannot become a cart move, nor change its products.
      assertError(await api.patch(`/attribution/events/${spent?.id}`, { amount: '' }), 400, 'parameter_missing', 'amount');
      assertError(await api.patch(`/attribution/events/${visit?.id}`, { action: 'cart.added' }), 422, 'invalid', 'action');
      assertError(await api.patch(`/attribution/events/${placed?.id}`, { products: [placed?.trackable?.id ?? ''] }), 422, 'invalid', 'products');
      // Refused updates changed nothing.
      const [, , again] = await events(api);
      assert.deepEqual([again?.action.name, again?.trackable?.id], ['order.placed', order]);
    });
  }
});
