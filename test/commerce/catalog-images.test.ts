import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jobHandlers } from '../../src/jobs/run-worker.js';
import { testApp, type TestApp } from '../support/app.js';
import { runDueJobs } from '../support/jobs.js';
import { ENCODINGS, shop, type ProductJson, type Shop } from './commerce-client.js';

/** "We will download the image and store it on our servers": images of apps, products and variants. */

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('an app icon')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 a product photo')]);

interface AppJson {
  id: string;
  image_url: string | null;
}

describe('catalog images', () => {
  let t: TestApp;
  let server: Server;
  let base = '';
  const hits = new Map<string, number>();

  before(async () => {
    t = await testApp();
    server = createServer((request, response) => {
      const url = request.url ?? '/';
      const hit = (hits.get(url) ?? 0) + 1;
      hits.set(url, hit);
      const send = (status: number, type: string, body: Buffer | string) => response.writeHead(status, { 'content-type': type }).end(body);
      if (url.startsWith('/icon.png')) return send(200, 'image/png', PNG);
      if (url === '/photo.webp') return send(200, 'image/webp', WEBP);
      if (url === '/page') return send(200, 'image/png', '<html>Log in to see this image</html>');
      if (url === '/flaky.png') return hit === 1 ? send(503, 'text/plain', 'busy') : send(200, 'image/png', PNG);
      return send(404, 'text/plain', 'missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  const runJobs = (api: Shop) => runDueJobs(t.core.db, jobHandlers(t.core), api.businessId, Date.now());
  const queued = async (api: Shop) => (await t.core.db.selectFrom('jobs').select('kind').where('business_id', '=', api.businessId).where('state', '=', 'queued').orderBy('id').execute()).map((job) => job.kind);
  const media = (api: Shop) => t.core.db.selectFrom('media').selectAll().where('business_id', '=', api.businessId).orderBy('id').execute();
  const file = (api: Shop, sha256: string | null) => path.join(t.core.config.DATA_DIR, 'media', String(api.businessId), sha256 ?? '-');
  const appRow = (api: Shop, app: AppJson) =>
    t.core.db
      .selectFrom('apps')
      .select(['image_url', 'image_media_id'])
      .where('id', '=', t.ids.decode('app', app.id) ?? 0)
      .executeTakeFirstOrThrow();

  test("an app's image is downloaded and stored under DATA_DIR/media; the object keeps the URL as given", async () => {
    for (const encoding of ENCODINGS) {
      const api = await shop(t, encoding);
      const app = await api.created<AppJson>('/apps', { name: 'Beauty & Care', image_url: `${base}/icon.png` });
      assert.equal(app.image_url, `${base}/icon.png`);
      assert.deepEqual(await queued(api), ['catalog.fetch_image']);
      assert.deepEqual(await runJobs(api), [['catalog.fetch_image', null]]);
      const [copy] = await media(api);
      assert.ok(copy);
      assert.deepEqual([copy.state, copy.content_type, copy.size, copy.source_url], ['ready', 'image/png', PNG.length, `${base}/icon.png`]);
      assert.deepEqual(readFileSync(file(api, copy.sha256)), PNG);
      assert.equal((await appRow(api, app)).image_media_id, copy.id);
      assert.equal((await api.ok<AppJson>('GET', `/apps/${app.id}`)).image_url, `${base}/icon.png`);
      assert.deepEqual(await queued(api), []);
    }
  });

  test('the same URL keeps its copy; another URL replaces it; clearing or deleting lets it go, file and all', async () => {
    const api = await shop(t);
    const app = await api.created<AppJson>('/apps', { name: 'Icons', image_url: `${base}/icon.png` });
    await runJobs(api);
    const [first] = await media(api);
    assert.ok(first);

    await api.ok('PATCH', `/apps/${app.id}`, { name: 'Icons 2', image_url: `${base}/icon.png` });
    assert.deepEqual(await queued(api), [], 'same URL: nothing to fetch again');
    assert.deepEqual((await media(api)).map((row) => row.id), [first.id]);

    await api.ok('PATCH', `/apps/${app.id}`, { image_url: `${base}/photo.webp` });
    assert.deepEqual(await queued(api), ['catalog.remove_image_file', 'catalog.fetch_image']);
    await runJobs(api);
    const [second] = await media(api);
    assert.deepEqual([second?.state, second?.content_type, second?.source_url], ['ready', 'image/webp', `${base}/photo.webp`]);
    assert.equal(existsSync(file(api, first.sha256)), false, 'the old file went');

    await api.ok('PATCH', `/apps/${app.id}`, { image_url: null });
    assert.deepEqual(await appRow(api, app), { image_url: null, image_media_id: null });
    assert.deepEqual(await media(api), []);
    await runJobs(api);
    assert.equal(existsSync(file(api, second?.sha256 ?? null)), false);

    await api.ok('PATCH', `/apps/${app.id}`, { image_url: `${base}/icon.png` });
    await runJobs(api);
    const [third] = await media(api);
    await api.ok('DELETE', `/apps/${app.id}`);
    assert.deepEqual(await media(api), []);
    await runJobs(api);
    assert.equal(existsSync(file(api, third?.sha256 ?? null)), false);
  });

  test('one file per content: it stays while another row uses it', async () => {
    const api = await shop(t);
    const one = await api.created<AppJson>('/apps', { name: 'One', image_url: `${base}/icon.png?one` });
    const two = await api.created<AppJson>('/apps', { name: 'Two', image_url: `${base}/icon.png?two` });
    await runJobs(api);
    const copies = await media(api);
    assert.equal(copies.length, 2);
    assert.equal(copies[0]?.sha256, copies[1]?.sha256);
    await api.ok('DELETE', `/apps/${one.id}`);
    await runJobs(api);
    assert.ok(existsSync(file(api, copies[0]?.sha256 ?? null)), 'still used by the other app');
    await api.ok('DELETE', `/apps/${two.id}`);
    await runJobs(api);
    assert.equal(existsSync(file(api, copies[0]?.sha256 ?? null)), false);
  });

  test("products and variants: each variant's image is kept; variants replaced or deleted, and the product deleted, let theirs go", async () => {
    const api = await shop(t);
    const product = await api.product({ name: 'Sneaker', image_url: `${base}/icon.png`, variants: [{ name: 'Size 42', image_url: `${base}/photo.webp` }, { name: 'Size 43' }] });
    assert.deepEqual(await queued(api), ['catalog.fetch_image', 'catalog.fetch_image']);
    await runJobs(api);
    assert.deepEqual(
      (await media(api)).map((row) => [row.state, row.content_type]),
      [
        ['ready', 'image/png'],
        ['ready', 'image/webp'],
      ],
    );
    const [, size43] = product.variants;
    assert.ok(size43);
    await api.ok('PATCH', `/variants/${size43.id}`, { image_url: `${base}/flaky.png` });
    assert.deepEqual(await runJobs(api), [['catalog.fetch_image', 'The attachment URL answered HTTP 503.']], 'a passing failure is retried');
    assert.deepEqual(await runJobs(api), [['catalog.fetch_image', null]]);
    assert.equal((await media(api)).length, 3);

    const updated = await api.ok<ProductJson>('PATCH', `/products/${product.id}`, { variants: [{ id: size43.id }] });
    assert.deepEqual(
      updated.variants.map((variant) => variant.image_url),
      [`${base}/flaky.png`],
    );
    assert.deepEqual(
      (await media(api)).map((row) => row.source_url),
      [`${base}/icon.png`, `${base}/flaky.png`],
      "the dropped variant's copy went",
    );
    await api.ok('DELETE', `/products/${product.id}`);
    assert.deepEqual(await media(api), []);
    await runJobs(api);
    assert.deepEqual(await queued(api), []);
  });

  test('a page that is no image is a failed copy, the object unchanged; giving the URL again tries again', async () => {
    const api = await shop(t);
    const app = await api.created<AppJson>('/apps', { name: 'Private', image_url: `${base}/page` });
    await runJobs(api);
    const [copy] = await media(api);
    assert.deepEqual([copy?.state, copy?.error], ['failed', 'The file is of no supported type.']);
    assert.equal((await api.ok<AppJson>('GET', `/apps/${app.id}`)).image_url, `${base}/page`);
    await api.ok('PATCH', `/apps/${app.id}`, { image_url: `${base}/page` });
    assert.deepEqual(await queued(api), ['catalog.fetch_image'], 'the same URL after a failure is tried again');
    assert.deepEqual(
      (await media(api)).map((row) => row.state),
      ['pending'],
    );
  });
});
