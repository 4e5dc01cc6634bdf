import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createShortLink, withSessionToken } from '../../src/core/messaging/short-links.service.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { campaignRevenue } from '../../src/core/tracking/events.repository.js';
import { testApp } from '../support/app.js';
import { ENCODINGS, audienceApp, tenant, type ActivityJson, type Api, type AudienceApp } from '../audience/audience-client.js';

/** GET /s/:code and createShortLink: redirects with a session token, counted clicks, attribution. */
describe('short links', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  const scoped = (api: Api) => forBusiness(t.core, api.businessId);
  const profileKey = (api: Api, id: string) => t.ids.require('profile', id, 'Profile');

  /** A sent message of the business, written as the message engine will (its table, its columns). */
  async function message(api: Api, values: { profileId: number; campaignId?: number }): Promise<number> {
    const at = t.clock.seconds;
    const row = await t.core.db
      .insertInto('messages')
      .values({
        business_id: api.businessId,
        profile_id: values.profileId,
        campaign_id: values.campaignId ?? null,
        direction: 'outbound',
        technology: 'sms',
        origin: '+3197010000000',
        destination: '+31612345678',
        body: 'Spring sale: {shortlink}',
        content: '{}',
        transactional: 0,
        state: 'delivered',
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const click = (path: string, method: 'GET' | 'HEAD' = 'GET') => t.app.inject({ method, url: path });
  const pathOf = (url: string) => new URL(url).pathname;
  const linkRow = (code: string) => t.core.db.selectFrom('short_links').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  const sessionOf = (token: string) => t.core.db.selectFrom('sessions').selectAll().where('uuid', '=', token).executeTakeFirstOrThrow();

  /** The hello_session of a redirect's Location. */
  function tokenOf(location: string): string {
    const token = new URL(location).searchParams.get('hello_session');
    assert.ok(token, location);
    return token;
  }

  test('a link is PUBLIC_URL/s/<10 random letters and digits>, unique per call', async () => {
    const api = await tenant(t);
    const codes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const link = await createShortLink(scoped(api), { destination: 'https://shop.example/spring' });
      assert.match(link.code, /^[A-Za-z0-9]{10}$/);
      assert.equal(link.url, `${t.core.config.PUBLIC_URL}/s/${link.code}`);
      codes.add(link.code);
    }
    assert.equal(codes.size, 50);
  });

  test('a click redirects 302 with hello_session, opens a session tied to profile, message and campaign, counts and trails it', async () => {
    const api = await tenant(t);
    const profile = await api.createProfile({ first_name: 'Ana' });
    const profileId = profileKey(api, profile);
    const messageId = await message(api, { profileId, campaignId: 41 });
    const link = await createShortLink(scoped(api), { destination: 'https://shop.example/spring?utm_source=sms&q=a%20b#sizes', messageId, profileId, campaignId: 41 });

    const res = await click(pathOf(link.url));
    assert.equal(res.statusCode, 302, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const location = String(res.headers.location);
    const token = tokenOf(location);
    assert.equal(location, `https://shop.example/spring?utm_source=sms&q=a%20b&hello_session=${token}#sizes`);

    const session = await sessionOf(token);
    assert.deepEqual(
      { business: session.business_id, source: session.source, profile: session.profile_id, message: session.message_id, campaign: session.campaign_id },
      { business: api.businessId, source: 'link', profile: profileId, message: messageId, campaign: 41 },
    );
    assert.equal(Number((await linkRow(link.code)).clicks), 1);

    const again = await click(pathOf(link.url));
    assert.notEqual(tokenOf(String(again.headers.location)), token, 'every click opens its own session');
    assert.equal(Number((await linkRow(link.code)).clicks), 2);

    const trail = (await api.get<{ activity: ActivityJson[] }>(`/profiles/${profile}/activity`)).body.activity;
    const clicks = trail.filter((entry) => entry.kind === 'link_clicked');
    assert.equal(clicks.length, 2);
    assert.deepEqual(clicks[0]?.data, { url: 'https://shop.example/spring?utm_source=sms&q=a%20b#sizes', code: link.code });
  });

  test('a link without profile or message still redirects with a session of its own', async () => {
    const api = await tenant(t);
    const link = await createShortLink(scoped(api), { destination: 'https://shop.example' });
    const res = await click(`/s/${link.code}`);
    assert.equal(res.statusCode, 302);
    const location = String(res.headers.location);
    assert.equal(location, `https://shop.example/?hello_session=${tokenOf(location)}`);
    const session = await sessionOf(tokenOf(location));
    assert.deepEqual([session.profile_id, session.message_id, session.campaign_id, session.source], [null, null, null, 'link']);
  });

  test('the token goes into the query as is: other parameters and the fragment are kept, an old hello_session replaced', () => {
    const cases: Array<[string, string]> = [
      ['https://a.example/p', 'https://a.example/p?hello_session=T'],
      ['https://a.example/p?', 'https://a.example/p?hello_session=T'],
      ['https://a.example/p?x=1&', 'https://a.example/p?x=1&hello_session=T'],
      ['https://a.example/p?x=%2F&y=a+b#top', 'https://a.example/p?x=%2F&y=a+b&hello_session=T#top'],
      ['https://a.example/p?hello_session=old&x=1', 'https://a.example/p?x=1&hello_session=T'],
      ['https://a.example/p#frag?not=query', 'https://a.example/p?hello_session=T#frag?not=query'],
      ['https://a.example/p?hello_sessionx=1', 'https://a.example/p?hello_sessionx=1&hello_session=T'],
    ];
    for (const [destination, expected] of cases) assert.equal(withSessionToken(destination, 'T'), expected, destination);
  });

  test('destinations are absolute http(s) URLs, stored normalised so the Location header is valid', async () => {
    const api = await tenant(t);
    for (const destination of ['', 'shop.example/x', 'ftp://shop.example/file', 'javascript:alert(1)', 'https://shop.example/a b', `https://shop.example/${'x'.repeat(8200)}`]) {
      await assert.rejects(
        () => createShortLink(scoped(api), { destination }),
        (error: unknown) => error instanceof DomainError && error.code === 'invalid' && error.parameter === 'destination',
        destination,
      );
    }
    const link = await createShortLink(scoped(api), { destination: 'https://Shop.Example/zapatos/añil?c=ñ' });
    const res = await click(`/s/${link.code}`);
    assert.equal(res.statusCode, 302);
    const location = String(res.headers.location);
    assert.equal(location, `https://shop.example/zapatos/a%C3%B1il?c=%C3%B1&hello_session=${tokenOf(location)}`);
  });

  test('an unknown or malformed code is a 404 page, counting and creating nothing', async () => {
    const api = await tenant(t);
    const link = await createShortLink(scoped(api), { destination: 'https://shop.example' });
    const sessions = async () => (await t.core.db.selectFrom('sessions').select('id').where('business_id', '=', api.businessId).execute()).length;
    const sessionsBefore = await sessions();
    for (const path of ['/s/zz-zzzzz', '/s/AAAAAAAAAA', `/s/${link.code.toLowerCase() === link.code ? link.code.toUpperCase() : link.code.toLowerCase()}`, `/s/${'a'.repeat(40)}`, '/s/%00']) {
      const res = await click(path);
      assert.equal(res.statusCode, 404, path);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /Link not found/);
    }
    assert.equal(await sessions(), sessionsBefore);
    assert.equal(Number((await linkRow(link.code)).clicks), 0);
  });

  test('HEAD answers the destination without counting or opening a session', async () => {
    const api = await tenant(t);
    const link = await createShortLink(scoped(api), { destination: 'https://shop.example/x?y=1' });
    const res = await click(`/s/${link.code}`, 'HEAD');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, 'https://shop.example/x?y=1');
    assert.equal(Number((await linkRow(link.code)).clicks), 0);
    assert.equal((await click('/s/zz-zzzzz', 'HEAD')).statusCode, 404);
  });

  test('one address clicking past the tracking rate still gets there, uncounted and without a session', async () => {
    const limited = await testApp({ config: { TRACKING_RATE_IP_BURST: '2', TRACKING_RATE_IP_PER_MINUTE: '1' } });
    try {
      const api = await tenant(limited);
      const link = await createShortLink(forBusiness(limited.core, api.businessId), { destination: 'https://shop.example/x' });
      const locations: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({ method: 'GET', url: `/s/${link.code}` });
        assert.equal(res.statusCode, 302);
        locations.push(String(res.headers.location));
      }
      assert.ok(locations.slice(0, 2).every((location) => location.includes('hello_session=')));
      assert.deepEqual(locations.slice(2), ['https://shop.example/x', 'https://shop.example/x']);
      const row = await limited.core.db.selectFrom('short_links').select('clicks').where('code', '=', link.code).executeTakeFirstOrThrow();
      assert.equal(Number(row.clicks), 2);
      const otherAddress = await limited.app.inject({ method: 'GET', url: `/s/${link.code}`, remoteAddress: '192.0.2.7' });
      assert.match(String(otherAddress.headers.location), /hello_session=/);
    } finally {
      await limited.close();
    }
  });

  test('concurrent clicks are all counted', async () => {
    const api = await tenant(t);
    const link = await createShortLink(scoped(api), { destination: 'https://shop.example' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => click(`/s/${link.code}`)));
    assert.ok(answers.every((res) => res.statusCode === 302));
    assert.equal(Number((await linkRow(link.code)).clicks), 12);
  });

  test('events tracked with the session are attributed to the message and its campaign', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const profile = await api.createProfile({ first_name: 'Ana' });
      const profileId = profileKey(api, profile);
      const campaignId = 900 + api.businessId;
      const messageId = await message(api, { profileId, campaignId });
      const link = await createShortLink(scoped(api), { destination: 'https://shop.example/checkout', messageId, profileId, campaignId });
      const token = tokenOf(String((await click(pathOf(link.url))).headers.location));

      assert.equal((await api.post('/attribution/actions', { name: 'checkout.completed', title: 'Checkout completed' })).status, 201);
      const tracked = await api.post('/attribution/events', { action: 'checkout.completed', session: token, amount: '25.50', currency: 'EUR' });
      assert.equal(tracked.status, 201, tracked.text);

      const event = await t.core.db.selectFrom('events').selectAll().where('business_id', '=', api.businessId).executeTakeFirstOrThrow();
      assert.deepEqual(
        { message: event.message_id, campaign: event.campaign_id, profile: event.profile_id, converted: Number(event.converted_e4) },
        { message: messageId, campaign: campaignId, profile: profileId, converted: 255_000 },
      );
      assert.equal(await campaignRevenue(scoped(api).tenant, campaignId), 255_000);
      const listed = await api.get<{ events: Array<{ profile: string | null; session: string | null }> }>('/attribution/events');
      assert.equal(listed.body.events[0]?.profile, profile);
    }
  });

  test("a session token of one business attributes nothing in another", async () => {
    const owner = await tenant(t);
    const intruder = await tenant(t);
    const profileId = profileKey(owner, await owner.createProfile({ first_name: 'Ana' }));
    const messageId = await message(owner, { profileId, campaignId: 7 });
    const link = await createShortLink(scoped(owner), { destination: 'https://shop.example', messageId, profileId, campaignId: 7 });
    const token = tokenOf(String((await click(`/s/${link.code}`)).headers.location));

    assert.equal((await intruder.post('/attribution/actions', { name: 'checkout.completed' })).status, 201);
    const tracked = await intruder.post('/attribution/events', { action: 'checkout.completed', session: token, amount: '10', currency: 'EUR' });
    assert.equal(tracked.status, 201, tracked.text);
    const event = await t.core.db.selectFrom('events').selectAll().where('business_id', '=', intruder.businessId).executeTakeFirstOrThrow();
    assert.deepEqual([event.message_id, event.campaign_id, event.profile_id], [null, null, null]);
    assert.equal(await campaignRevenue(scoped(owner).tenant, 7), 0);
    // The owner's link still answers for the owner, whoever clicks it.
    const session = await sessionOf(tokenOf(String((await click(`/s/${link.code}`)).headers.location)));
    assert.equal(session.business_id, owner.businessId);
  });
});
