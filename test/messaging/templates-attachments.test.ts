import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import type { CoreContext } from '../../src/core/context.js';
import { createOutboundClient } from '../../src/net/outbound-client.js';
import { jobHandlers } from '../../src/jobs/run-worker.js';
import { audienceApp, ENCODINGS, type AudienceApp, type Encoding } from '../audience/audience-client.js';
import { Shop } from '../commerce/commerce-client.js';
import type { TemplateJson } from './messages-support.js';
import { testBusiness } from '../support/app.js';
import { runDueJobs } from '../support/jobs.js';

/** Attachment headers: the download job, the platform's formats and sizes, storage, SSRF refusal, timeouts and retries. */


const MB = 1024 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a small png')]);
const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from('word/document.xml')]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(16)]);

/** A real HTTP server on a local port with one answer per path; some change from one request to the next. */
class Files {
  #server: Server | undefined;
  #hanging: ServerResponse[] = [];
  base = '';
  readonly hits = new Map<string, number>();

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const url = request.url ?? '/';
      const hit = (this.hits.get(url) ?? 0) + 1;
      this.hits.set(url, hit);
      const send = (status: number, type: string, body: Buffer | string) => response.writeHead(status, { 'content-type': type }).end(body);
      switch (url) {
        case '/image.png':
          return send(200, 'image/png', PNG);
        case '/no-type.png':
          return send(200, 'application/octet-stream', PNG);
        case '/big.jpg':
          return send(200, 'image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * MB)]));
        case '/video.mp4':
          return send(200, 'video/mp4', MP4);
        case '/page':
          return send(200, 'image/png', '<html><body>Not found</body></html>');
        case '/animation.gif':
          return send(200, 'image/gif', Buffer.from('GIF89a-animated'));
        case '/report.docx':
          return send(200, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', DOCX);
        case '/archive':
          return send(200, 'application/zip', DOCX);
        case '/moved':
          return response.writeHead(302, { location: '/image.png' }).end();
        case '/flaky':
          return hit === 1 ? send(503, 'text/plain', 'busy') : send(200, 'image/png', PNG);
        case '/later':
          return hit === 1 ? send(404, 'text/plain', 'not yet') : send(200, 'image/png', PNG);
        case '/hang':
          this.#hanging.push(response);
          return;
        default:
          return send(404, 'text/plain', 'missing');
      }
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

describe('template attachments', () => {
  let t: AudienceApp;
  const files = new Files();
  before(async () => {
    t = await audienceApp();
    await files.start();
  });
  after(async () => {
    await files.stop();
    await t.close();
  });

  async function business(options: { encoding?: Encoding; whatsapp?: boolean } = {}): Promise<Shop> {
    const { business: created, token } = await testBusiness(t.core);
    if (options.whatsapp) {
      await t.core.db
        .insertInto('channels')
        .values({ business_id: created.id, technology: 'whatsapp', origin: '+59898000001', provider: 'dev-inbox', settings: '{}', rate: 10, active: 1, created_at: 0, updated_at: 0 })
        .execute();
    }
    return new Shop(t, token, options.encoding ?? 'json', created.id);
  }

  async function withHeader(api: Shop, file: string, extra: Record<string, unknown> = {}): Promise<TemplateJson> {
    const res = await api.post<TemplateJson>('/v1/templates', { name: `t${Math.random()}`, body: 'See attached', header: { type: 'attachment', attachment_url: `${files.base}${file}` }, ...extra });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  const state = async (api: Shop, template: TemplateJson) => (await api.get<TemplateJson>(`/v1/templates/${template.id}`)).body.state;
  const templateRow = (template: TemplateJson) => t.core.db.selectFrom('templates').selectAll().where('id', '=', t.ids.decode('template', template.id) ?? 0).executeTakeFirstOrThrow();
  const mediaRows = (api: Shop) => t.core.db.selectFrom('media').selectAll().where('business_id', '=', api.businessId).orderBy('id').execute();
  const jobsOf = (api: Shop) => t.core.db.selectFrom('jobs').selectAll().where('business_id', '=', api.businessId).where('state', '=', 'queued').orderBy('id').execute();
  const stored = (api: Shop, sha256: string) => path.join(t.core.config.DATA_DIR, 'media', String(api.businessId), sha256);

  /** Runs the business's due jobs with the installation's handlers, as a worker would with `ctx`. */
  const runJobs = (api: Shop, ctx: CoreContext = t.core) => runDueJobs(t.core.db, jobHandlers(ctx), api.businessId, t.clock.now());

  test('a WhatsApp template waits for its attachment, stored under DATA_DIR/media/<business>/<sha256>, then for review', async () => {
    for (const encoding of ENCODINGS) {
      const api = await business({ encoding, whatsapp: true });
      const template = await withHeader(api, '/image.png', { technology: 'whatsapp' });
      assert.equal(template.state, 'pending');
      assert.deepEqual(template.header, { type: 'attachment', attachment_url: `${files.base}/image.png` });
      assert.deepEqual((await jobsOf(api)).map((job) => job.kind), ['template.fetch_attachment']);
      assert.deepEqual(await runJobs(api), [['template.fetch_attachment', null]]);
      const [media] = await mediaRows(api);
      assert.ok(media);
      assert.deepEqual([media.state, media.content_type, media.size, media.source_url], ['ready', 'image/png', PNG.length, `${files.base}/image.png`]);
      assert.match(media.sha256 ?? '', /^[0-9a-f]{64}$/);
      assert.equal(media.path, `${api.businessId}/${media.sha256}`);
      assert.deepEqual(readFileSync(stored(api, media.sha256 ?? '')), PNG);
      assert.equal(await state(api, template), 'pending');
      assert.deepEqual((await jobsOf(api)).map((job) => job.kind), ['template.approve']);
      t.clock.tick(5);
      await runJobs(api);
      assert.equal(await state(api, template), 'approved');
    }
  });

  test('accepted: documents by declared type, redirects, videos, a generic content type on a real image', async () => {
    const api = await business();
    const expected: Array<[string, string]> = [
      ['/report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['/moved', 'image/png'],
      ['/video.mp4', 'video/mp4'],
      ['/no-type.png', 'image/png'],
    ];
    for (const [file] of expected) await withHeader(api, file);
    await runJobs(api);
    assert.deepEqual(
      (await mediaRows(api)).map((media) => [media.state, media.content_type]),
      expected.map(([, type]) => ['ready', type]),
    );
  });

  test("refused by WhatsApp's limits: too large, a page posing as an image, a GIF, an unknown Office container, a 404; the template is rejected with the reason", async () => {
    const api = await business();
    const cases: Array<[string, RegExp]> = [
      ['/big.jpg', /at most 5 MB/],
      ['/page', /no supported type/],
      ['/animation.gif', /does not take gif/],
      ['/archive', /Office document/],
      ['/gone', /HTTP 404/],
    ];
    const templates = [];
    for (const [file] of cases) templates.push(await withHeader(api, file));
    // Without WhatsApp the template was approved at once: the failed download rejects it.
    assert.deepEqual(templates.map((template) => template.state), cases.map(() => 'approved'));
    await runJobs(api);
    for (const [index, [, reason]] of cases.entries()) {
      const template = templates[index];
      assert.ok(template);
      const row = await templateRow(template);
      assert.equal(row.state, 'rejected', cases[index]?.[0]);
      assert.match(row.state_reason ?? '', reason);
    }
    assert.deepEqual((await mediaRows(api)).map((media) => media.state), cases.map(() => 'failed'));
    assert.deepEqual(await jobsOf(api), [], 'refusals are not retried');
  });

  test('updating a rejected template downloads again; the same URL keeps a good download; another header drops it and its file', async () => {
    for (const encoding of ENCODINGS) {
      const api = await business({ encoding });
      files.hits.delete('/later');
      const later = await withHeader(api, '/later');
      await runJobs(api);
      assert.equal(await state(api, later), 'rejected');
      const again = await api.patch<TemplateJson>(`/v1/templates/${later.id}`, {});
      assert.equal(again.body.state, 'approved', again.text);
      await runJobs(api);
      assert.equal(await state(api, later), 'approved');
      const ready = (await mediaRows(api)).filter((media) => media.state === 'ready');
      assert.equal(ready.length, 1, 'the failed download was replaced');
      assert.equal((await mediaRows(api)).length, 1);

      // Same URL: the stored file is kept, nothing is queued.
      const header = { type: 'attachment', attachment_url: `${files.base}/later` };
      await api.patch(`/v1/templates/${later.id}`, { header, body: 'changed' });
      assert.deepEqual(await jobsOf(api), []);
      assert.deepEqual((await mediaRows(api)).map((media) => media.id), ready.map((media) => media.id));

      // Two templates share a file; dropping one header keeps the file for the other.
      const twin = await withHeader(api, '/image.png');
      await runJobs(api);
      const sha256 = ready[0]?.sha256 ?? '';
      assert.ok(existsSync(stored(api, sha256)));
      const text = await api.patch<TemplateJson>(`/v1/templates/${later.id}`, { header: { type: 'text', text: 'Hello' } });
      assert.deepEqual(text.body.header, { type: 'text', text: 'Hello' });
      assert.equal((await mediaRows(api)).length, 1, 'the replaced attachment is deleted');
      assert.ok(existsSync(stored(api, sha256)), 'the twin still uses the file');
      await api.patch(`/v1/templates/${twin.id}`, { header: null });
      assert.deepEqual(await mediaRows(api), []);
      assert.ok(!existsSync(stored(api, sha256)), 'the last user gone, the file goes');
    }
  });

  test('a 503 is retried and then succeeds; a server that never answers times out and, after the last attempt, rejects the template', async () => {
    const api = await business({ whatsapp: true });
    files.hits.delete('/flaky');
    const flaky = await withHeader(api, '/flaky', { technology: 'whatsapp' });
    assert.deepEqual(await runJobs(api), [['template.fetch_attachment', 'The attachment URL answered HTTP 503.']]);
    assert.equal(await state(api, flaky), 'pending');
    assert.deepEqual(await runJobs(api), [['template.fetch_attachment', null]]);
    assert.equal((await mediaRows(api))[0]?.state, 'ready');
    await t.core.db.deleteFrom('jobs').where('business_id', '=', api.businessId).execute();

    const quick: CoreContext = { ...t.core, config: { ...t.core.config, OUTBOUND_TIMEOUT_MS: 150 } };
    const hanging = await withHeader(api, '/hang', { technology: 'whatsapp' });
    for (const attempt of [1, 2]) {
      const [[kind, error] = ['', null]] = await runJobs(api, quick);
      assert.equal(kind, 'template.fetch_attachment');
      assert.match(error ?? '', /took longer than 150 ms/, `attempt ${attempt}`);
      assert.equal(await state(api, hanging), 'pending');
    }
    assert.deepEqual(await runJobs(api, quick), [['template.fetch_attachment', null]]);
    const row = await templateRow(hanging);
    assert.equal(row.state, 'rejected');
    assert.match(row.state_reason ?? '', /took longer/);
  });

  test('without ALLOW_PRIVATE_URLS a private address is refused at once (SSRF); with it the same URL downloads', async () => {
    // The client a default configuration builds (ALLOW_PRIVATE_URLS unset).
    const defaults = loadConfig({});
    assert.equal(defaults.ALLOW_PRIVATE_URLS, false);
    const guarded = createOutboundClient({ allowPrivateUrls: defaults.ALLOW_PRIVATE_URLS, timeoutMs: 1000 });
    try {
      const api = await business({ whatsapp: true });
      const template = await withHeader(api, '/image.png', { technology: 'whatsapp' });
      const hits = files.hits.get('/image.png');
      assert.deepEqual(await runJobs(api, { ...t.core, outbound: guarded }), [['template.fetch_attachment', null]], 'refused for good, not retried');
      assert.equal(files.hits.get('/image.png'), hits, 'no request left');
      const row = await templateRow(template);
      assert.equal(row.state, 'rejected');
      assert.match(row.state_reason ?? '', /not reachable/);
      assert.equal((await mediaRows(api))[0]?.state, 'failed');

      // The update starts a new download, now with private URLs allowed.
      t.clock.tick(86_400);
      assert.equal((await api.patch<TemplateJson>(`/v1/templates/${template.id}`, {})).body.state, 'pending');
      await runJobs(api);
      assert.equal((await mediaRows(api)).map((media) => media.state).join(), 'ready');
    } finally {
      await guarded.close();
    }
  });
});
