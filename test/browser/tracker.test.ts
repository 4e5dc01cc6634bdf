/**
 * The tracker in a real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * against the real app listening on a port, from a page served by a second server on another
 * origin: the API is http://127.0.0.1:<port>, the shop is http://localhost:<port>.
 * Skipped, with a message, where /usr/bin/chromium is missing; CI installs it (.ci/run).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { findSessionByUuid, type SessionRow } from '../../src/core/tracking/sessions.repository.js';
import { createSession } from '../../src/core/tracking/sessions.service.js';
import { Api } from '../audience/audience-client.js';
import { testApp, testBusiness, type TestApp } from '../support/app.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package to run the browser tests (CI does).`;

interface EventJson {
  id: string;
  action: { name: string };
  profile: string | null;
  session: string | null;
  url: string | null;
}

/**
 * Runs an expression in the page. The suite's TypeScript has no DOM library, so what runs in
 * the browser is written as text; promises are awaited.
 */
const inPage = (page: Page, expression: string): Promise<unknown> => page.evaluate(expression);

async function sessionIn(page: Page): Promise<string> {
  const token = await inPage(page, 'Hellohub.session');
  if (typeof token !== 'string') throw new Error(`Hellohub.session is ${String(token)}`);
  return token;
}

/** `Hellohub.track(action, params)` in the page: true once delivered, false when queued. */
const track = (page: Page, action: string, params: Record<string, unknown> = {}) => inPage(page, `Hellohub.track(${JSON.stringify(action)}, ${JSON.stringify(params)})`);

const queueIn = async (page: Page): Promise<unknown> => JSON.parse(String(await inPage(page, "localStorage.getItem('hellohub_queue') || 'null'")));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the tracker in headless Chromium', { skip }, () => {
  let t: TestApp;
  let apiOrigin: string;
  let shop: Server;
  let shopOrigin: string;
  let browser: Browser;
  let api: Api;
  let publicId: string;
  let businessId: number;

  before(async () => {
    t = await testApp();
    apiOrigin = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { business, token } = await testBusiness(t.core);
    api = new Api(t, token, 'json', business.id);
    publicId = business.publicId;
    businessId = business.id;
    assert.equal((await api.post('/attribution/actions', { name: 'page.visited' })).status, 201);

    // The shop: any path is a page that loads the tracker with the script tag.
    shop = createServer((request, response) => {
      if (request.url === '/favicon.ico') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html><head><title>Shoes</title>
<script src="${apiOrigin}/tracker.js" data-business="${publicId}"></script></head><body><h1>Shoes</h1></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await t?.close();
  });

  /** A fresh browser profile (cookies, storage) on a page of the shop. */
  async function visit(path: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${shopOrigin}${path}`);
    assert.equal(response?.status(), 200);
    await page.waitForFunction("typeof Hellohub === 'object' && typeof Hellohub.session === 'string'");
    return { context, page };
  }

  const session = (token: string): Promise<SessionRow | undefined> => findSessionByUuid(forBusiness(t.core, businessId).tenant, token);

  async function eventsOf(token: string): Promise<EventJson[]> {
    const res = await api.get<{ events: EventJson[] }>(`/attribution/events?session=${token}`);
    return res.status === 200 ? res.body.events : [];
  }

  const eventsArrived = (token: string, count: number) =>
    waitFor(`${count} events of ${token}`, async () => {
      const events = await eventsOf(token);
      return events.length >= count ? events : undefined;
    });

  test('a page opened from a short link acks its hello_session and tracks events attached to it', async () => {
    const link = await createSession(forBusiness(t.core, businessId), { source: 'link' });
    const { context, page } = await visit(`/shoes?hello_session=${link.uuid}&utm_source=sms&utm_campaign=spring`);
    try {
      assert.equal(await sessionIn(page), link.uuid);
      const acked = await waitFor('the ack', async () => ((await session(link.uuid))?.first_seen_at ? session(link.uuid) : undefined));
      assert.deepEqual(JSON.parse(acked?.utm ?? '{}'), { utm_source: 'sms', utm_campaign: 'spring' });

      assert.equal(await track(page, 'page.visited'), true);
      const [event] = await eventsArrived(link.uuid, 1);
      assert.equal(event?.session, t.ids.encode('session', link.id));
      assert.equal(event?.url, `${shopOrigin}/shoes?hello_session=${link.uuid}&utm_source=sms&utm_campaign=spring`);

      const [cookie] = (await context.cookies(shopOrigin)).filter((c) => c.name === 'hello_session');
      assert.equal(cookie?.value, link.uuid);
      assert.equal(cookie?.sameSite, 'Lax');
      assert.ok(cookie && cookie.expires > Date.now() / 1000 + 300 * 86400, 'a long-lived cookie (browsers cap it at 400 days)');

      // The next page of the visit, without the parameter: the cookie keeps the session, no second ack.
      const acks: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/v1/public/acks')) acks.push(request.url());
      });
      await page.goto(`${shopOrigin}/cart`);
      await page.waitForFunction("typeof Hellohub === 'object'");
      assert.equal(await sessionIn(page), link.uuid);
      assert.equal(await track(page, 'page.visited'), true);
      assert.equal((await eventsArrived(link.uuid, 2)).length, 2);
      assert.deepEqual(acks, [], 'acked once per session');
    } finally {
      await context.close();
    }
  });

  test('a page without hello_session gets a generated UUID, kept in a first-party cookie and acked', async () => {
    const { context, page } = await visit('/');
    try {
      const token = await sessionIn(page);
      assert.match(token, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const [cookie] = (await context.cookies(shopOrigin)).filter((c) => c.name === 'hello_session');
      assert.equal(cookie?.value, token);
      const seen = await waitFor('the ack', async () => ((await session(token))?.first_seen_at ? session(token) : undefined));
      assert.equal(seen?.profile_id, null);
      assert.equal(await inPage(page, "localStorage.getItem('hellohub_acked')"), JSON.stringify(token));
    } finally {
      await context.close();
    }
  });

  test('the cookie is on the registrable domain: every subdomain of the shop shares the session', async () => {
    // Chromium resolves every *.localhost name to the loopback address.
    const port = new URL(shopOrigin).port;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://www.shop.localhost:${port}/`);
      await page.waitForFunction("typeof Hellohub === 'object'");
      const token = await sessionIn(page);
      const cookies = await context.cookies();
      assert.deepEqual(
        cookies.map((c) => [c.name, c.domain]),
        [['hello_session', '.shop.localhost']],
        'one cookie, on the root domain; the probe is gone',
      );
      await page.goto(`http://checkout.shop.localhost:${port}/pay`);
      await page.waitForFunction("typeof Hellohub === 'object'");
      assert.equal(await sessionIn(page), token);
    } finally {
      await context.close();
    }
  });

  test('identify attaches the session, and the events it tracked before, to the profile; PATCH /v1/sessions/:id moves them on', async () => {
    const { context, page } = await visit('/account');
    try {
      const token = await sessionIn(page);
      assert.equal(await track(page, 'page.visited'), true);
      await eventsArrived(token, 1);
      assert.equal(await inPage(page, "Hellohub.identify('cus_browser', { email: 'browser@example.com', name: 'Bea Rowser' })"), true);
      assert.equal(await track(page, 'page.visited'), true);
      const profileId = (await session(token))?.profile_id;
      assert.ok(profileId, 'the session is attached');
      const profile = t.ids.encode('profile', profileId);
      const events = await eventsArrived(token, 2);
      assert.deepEqual(
        events.map((event) => event.profile),
        [profile, profile],
      );
      assert.equal((await api.profile(profile)).first_name, 'Bea');

      const other = await api.createProfile({ email: 'other-owner@example.com' });
      const moved = await api.patch<{ profile: string }>(`/sessions/${token}`, { profile: other });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(
        (await eventsOf(token)).map((event) => event.profile),
        [other, other],
      );
    } finally {
      await context.close();
    }
  });

  test('identify on a session another visitor identified before starts a new session (new cookie, acked) and identifies that one; the first visitor keeps their history', async () => {
    const { context, page } = await visit('/shared-device');
    try {
      const first = await sessionIn(page);
      assert.equal(await inPage(page, "Hellohub.identify('cus_first', { email: 'first@example.com' })"), true);
      assert.equal(await track(page, 'page.visited'), true);
      const firstProfile = (await session(first))?.profile_id;
      assert.ok(firstProfile);

      // Someone else signs in on the same browser.
      assert.equal(await inPage(page, "Hellohub.identify('cus_second', { email: 'second@example.com' })"), true, 'delivered on the new session');
      const second = await sessionIn(page);
      assert.notEqual(second, first);
      assert.match(second, /^[0-9a-f-]{36}$/);
      const [cookie] = (await context.cookies(shopOrigin)).filter((c) => c.name === 'hello_session');
      assert.equal(cookie?.value, second);
      const acked = await waitFor('the ack of the new session', async () => ((await session(second))?.first_seen_at ? session(second) : undefined));
      assert.ok(acked?.profile_id && acked.profile_id !== firstProfile, 'the new session is the second visitor\'s');
      assert.equal((await api.profile(t.ids.encode('profile', acked.profile_id))).emails[0], 'second@example.com');

      assert.equal((await session(first))?.profile_id, firstProfile, 'the old session stays with the first visitor');
      assert.deepEqual(
        (await eventsOf(first)).map((event) => event.profile),
        [t.ids.encode('profile', firstProfile)],
      );
      assert.equal(await track(page, 'page.visited'), true);
      assert.equal((await eventsArrived(second, 1))[0]?.profile, t.ids.encode('profile', acked.profile_id));
    } finally {
      await context.close();
    }
  });

  test('flushes at once from one tab (the page, the online event, the retry timer) send each queued event once', async () => {
    const { context, page } = await visit('/flushes');
    try {
      const token = await sessionIn(page);
      await waitFor('the ack', async () => ((await session(token))?.first_seen_at ? true : undefined));
      await page.route(`${apiOrigin}/v1/**`, (route) => route.abort('internetdisconnected'));
      for (const n of [1, 2, 3]) assert.equal(await track(page, 'page.visited', { metadata: { n } }), false);
      await page.unroute(`${apiOrigin}/v1/**`);
      // Slow answers, so the flushes overlap while every item is in flight.
      await page.route(`${apiOrigin}/v1/**`, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await route.fallback();
      });
      await inPage(page, "Promise.all([Hellohub.flush(), Hellohub.flush(), (window.dispatchEvent(new Event('online')), Hellohub.flush())])");
      await eventsArrived(token, 3);
      await waitFor('an empty queue', async () => (JSON.stringify(await queueIn(page)) === '[]' ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const events = await api.get<{ events: Array<{ metadata: { n?: number } }> }>(`/attribution/events?session=${token}`);
      assert.deepEqual(events.body.events.map((event) => event.metadata.n).sort(), [1, 2, 3], 'each event once');
    } finally {
      await context.close();
    }
  });

  test('offline, events wait in localStorage and are sent once the network is back; a 5xx is retried, a 4xx is not', async () => {
    const { context, page } = await visit('/offline');
    try {
      const token = await sessionIn(page);
      await waitFor('the ack', async () => ((await session(token))?.first_seen_at ? true : undefined));

      // The network is down: fetch fails; the event waits.
      await page.route(`${apiOrigin}/v1/**`, (route) => route.abort('internetdisconnected'));
      assert.equal(await track(page, 'page.visited', { metadata: { n: 1 } }), false);
      const queued = await queueIn(page);
      assert.ok(Array.isArray(queued) && queued.length === 1, JSON.stringify(queued));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await eventsOf(token)).length, 0);

      // Back: the retry with backoff delivers it and empties the queue.
      await page.unroute(`${apiOrigin}/v1/**`);
      await eventsArrived(token, 1);
      await waitFor('an empty queue', async () => (JSON.stringify(await queueIn(page)) === '[]' ? true : undefined));

      // The browser says it is offline: nothing is tried until it is online again.
      await context.setOffline(true);
      assert.equal(await track(page, 'page.visited', { metadata: { n: 2 } }), false);
      await context.setOffline(false);
      await eventsArrived(token, 2);

      // A 503 is retried; a 422 is dropped at once.
      let failures = 1;
      await page.route(`${apiOrigin}/v1/track/events`, (route) => (failures-- > 0 ? route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }) : route.fallback()));
      assert.equal(await track(page, 'page.visited', { metadata: { n: 3 } }), false);
      await eventsArrived(token, 3);
      await page.unroute(`${apiOrigin}/v1/track/events`);
      assert.equal(await track(page, 'never.defined'), true, 'answered: delivered, not queued');
      assert.deepEqual(await queueIn(page), []);
      assert.equal((await eventsOf(token)).length, 3);
    } finally {
      await context.close();
    }
  });
});
