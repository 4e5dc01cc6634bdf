import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { PublicIds } from '../../src/core/shared/public-ids.js';
import { publicIdAlphabet } from '../../src/core/business/installation.service.js';
import type { CoreContext } from '../../src/core/context.js';
import { approveTemplate, pauseTemplate, rejectTemplate, templateByProviderId } from '../../src/core/messaging/templates.states.js';
import { forBusiness } from '../../src/core/shared/tenant.js';
import { jobHandlers } from '../../src/jobs/run-worker.js';
import { Worker } from '../../src/jobs/worker.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { ConfigName } from '../../src/config/config.schema.js';
import { assertError, ENCODINGS, ManualClock, type AudienceApp, type Encoding } from '../audience/audience-client.js';
import { Shop } from '../commerce/commerce-client.js';
import { until } from '../jobs/jobs-test-core.js';
import { testApp, testBusiness } from '../support/app.js';
import type { TemplateJson } from './messages-support.js';
import { testCore } from '../support/context.js';

/** Template states: approval at once, dev-inbox's delayed approval, WhatsApp Cloud submission, WhatsApp's edit and name rules. */


const DAY = 86_400;

/** The real app on a clock the test moves, with `config` on top of the test defaults. */
async function appWith(config: Partial<Record<ConfigName, string>> = {}): Promise<AudienceApp> {
  const clock = new ManualClock();
  const core = await testCore({ clock, config });
  const ids = new PublicIds(await publicIdAlphabet(core));
  const app = await buildApp({ ctx: core, ids, metrics: new Metrics() });
  await app.ready();
  return { app, core, ids, clock, close: async () => (await app.close(), await core.dispose()) };
}

/** A business of its own; `whatsapp` adds an active WhatsApp channel with that provider. */
async function business(t: AudienceApp, options: { encoding?: Encoding; whatsapp?: string } = {}): Promise<Shop> {
  const { business: created, token } = await testBusiness(t.core);
  if (options.whatsapp) {
    await t.core.db
      .insertInto('channels')
      .values({ business_id: created.id, technology: 'whatsapp', origin: '+59898000001', provider: options.whatsapp, settings: '{}', rate: 10, active: 1, created_at: 0, updated_at: 0 })
      .execute();
  }
  return new Shop(t, token, options.encoding ?? 'json', created.id);
}

async function create(api: Shop, body: Record<string, unknown>): Promise<TemplateJson> {
  const res = await api.post<TemplateJson>('/v1/templates', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function read(api: Shop, id: string): Promise<TemplateJson> {
  const res = await api.get<TemplateJson>(`/v1/templates/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

const queued = (t: AudienceApp, businessId: number) =>
  t.core.db.selectFrom('jobs').select(['kind', 'run_at', 'payload']).where('business_id', '=', businessId).where('state', '=', 'queued').orderBy('id').execute();

/** Runs the business's due jobs once each with the installation's handlers (as the worker would); answers their kinds. */
async function runDueJobs(t: AudienceApp, businessId: number, ctx: CoreContext = t.core): Promise<string[]> {
  const handlers = jobHandlers(ctx);
  const rows = await t.core.db.selectFrom('jobs').selectAll().where('business_id', '=', businessId).where('state', '=', 'queued').where('run_at', '<=', t.clock.now()).orderBy('id').execute();
  for (const row of rows) {
    const handler = handlers[row.kind];
    assert.ok(handler, `a handler for ${row.kind}`);
    await handler({ id: row.id, kind: row.kind, businessId: row.business_id, attempt: row.attempts + 1, payload: JSON.parse(row.payload) });
    await t.core.db.deleteFrom('jobs').where('id', '=', row.id).execute();
  }
  return rows.map((row) => row.kind);
}

describe('template states', () => {
  let t: AudienceApp;
  before(async () => {
    t = await appWith();
  });
  after(() => t.close());

  const tenantOf = (api: Shop) => forBusiness(t.core, api.businessId);
  const idOf = (template: TemplateJson) => t.ids.decode('template', template.id) ?? 0;

  test('without WhatsApp, SMS and any templates are approved at once and nothing is queued', async () => {
    for (const encoding of ENCODINGS) {
      const api = await business(t, { encoding });
      assert.equal((await create(api, { name: 'sms', body: 'x', technology: 'sms' })).state, 'approved');
      assert.equal((await create(api, { name: 'any', body: 'x' })).state, 'approved');
      assert.deepEqual(await queued(t, api.businessId), []);
    }
  });

  test('with a dev-inbox WhatsApp channel, WhatsApp and any templates wait TEMPLATE_APPROVAL_DELAY_MS (5 s) for approval; SMS ones do not', async () => {
    for (const encoding of ENCODINGS) {
      const api = await business(t, { encoding, whatsapp: 'dev-inbox' });
      const whatsapp = await create(api, { name: 'wa', body: 'Hi {name}', technology: 'whatsapp' });
      const any = await create(api, { name: 'any', body: 'Hi' });
      assert.equal((await create(api, { name: 'sms', body: 'x', technology: 'sms' })).state, 'approved');
      assert.equal(whatsapp.state, 'pending');
      assert.equal(any.state, 'pending');
      const jobs = await queued(t, api.businessId);
      assert.deepEqual(jobs.map((job) => [job.kind, job.run_at]), [
        ['template.approve', t.clock.now() + 5000],
        ['template.approve', t.clock.now() + 5000],
      ]);
      assert.deepEqual(await runDueJobs(t, api.businessId), []);
      t.clock.tick(4);
      assert.deepEqual(await runDueJobs(t, api.businessId), []);
      assert.equal((await read(api, whatsapp.id)).state, 'pending');
      t.clock.tick(1);
      assert.deepEqual(await runDueJobs(t, api.businessId), ['template.approve', 'template.approve']);
      assert.equal((await read(api, whatsapp.id)).state, 'approved');
      assert.equal((await read(api, any.id)).state, 'approved');
      // A job that runs twice changes nothing.
      await jobHandlers(t.core)['template.approve']?.({ id: 0, kind: 'template.approve', businessId: api.businessId, attempt: 2, payload: { templateId: idOf(whatsapp) } });
      assert.equal((await read(api, whatsapp.id)).state, 'approved');
    }
  });

  test('TEMPLATE_APPROVAL_DELAY_MS sets the delay', async () => {
    const slow = await appWith({ TEMPLATE_APPROVAL_DELAY_MS: '60000' });
    try {
      const api = await business(slow, { whatsapp: 'dev-inbox' });
      await create(api, { name: 'wa', body: 'x', technology: 'whatsapp' });
      assert.deepEqual((await queued(slow, api.businessId)).map((job) => job.run_at), [slow.clock.now() + 60_000]);
    } finally {
      await slow.close();
    }
  });

  test('whatsapp-cloud: a submission job; the template stays pending until the provider answers, which moves it through approved, paused and rejected', async () => {
    const api = await business(t, { whatsapp: 'whatsapp-cloud' });
    const template = await create(api, { name: 'order_update', body: 'Your order shipped', technology: 'whatsapp' });
    assert.deepEqual((await queued(t, api.businessId)).map((job) => [job.kind, job.run_at]), [['template.submit_whatsapp', t.clock.now()]]);
    assert.deepEqual(await runDueJobs(t, api.businessId), ['template.submit_whatsapp']);
    assert.equal((await read(api, template.id)).state, 'pending');

    const ctx = tenantOf(api);
    const id = idOf(template);
    assert.equal((await approveTemplate(ctx, id, { providerTemplateId: 'wa-123' }))?.state, 'approved');
    assert.equal((await templateByProviderId(ctx, 'wa-123'))?.id, id);
    assert.equal(await approveTemplate(ctx, id), undefined, 'approved already: no change');
    assert.equal((await pauseTemplate(ctx, id, 'Low quality rating'))?.state, 'paused');
    assert.equal((await read(api, template.id)).state, 'paused');
    assert.equal((await approveTemplate(ctx, id))?.state, 'approved', 'a pause is lifted');
    const rejected = await rejectTemplate(ctx, id, 'Disabled by WhatsApp');
    assert.equal(rejected?.state, 'rejected');
    assert.equal(rejected?.stateReason, 'Disabled by WhatsApp');
    assert.equal(await pauseTemplate(ctx, id, 'x'), undefined, 'only approved templates are paused');
    assert.equal((await read(api, template.id)).state, 'rejected');
    // Another business reaches nothing.
    const other = forBusiness(t.core, (await business(t)).businessId);
    assert.equal(await approveTemplate(other, id), undefined);
    assert.equal(await templateByProviderId(other, 'wa-123'), undefined);
  });

  test('WhatsApp templates: not while pending, once a day, names ignored; an edit goes back to review', async () => {
    for (const encoding of ENCODINGS) {
      const api = await business(t, { encoding, whatsapp: 'dev-inbox' });
      const template = await create(api, { name: 'shipping', body: 'v1', technology: 'whatsapp' });
      const url = `/v1/templates/${template.id}`;
      assertError(await api.patch(url, { body: 'v2' }), 422, 'invalid', null);
      assert.deepEqual((await api.patch<TemplateJson>(url, {})).body, template, 'an update that changes nothing is no edit');
      t.clock.tick(5);
      await runDueJobs(t, api.businessId);

      const edited = await api.patch<TemplateJson>(url, { body: 'v2', name: 'renamed' });
      assert.equal(edited.status, 200, edited.text);
      assert.deepEqual(edited.body, { ...template, body: 'v2', state: 'pending' }, 'the name stays');
      assertError(await api.patch(url, { body: 'v3' }), 422, 'invalid', null);
      t.clock.tick(5);
      assert.deepEqual(await runDueJobs(t, api.businessId), ['template.approve']);
      assert.equal((await read(api, template.id)).state, 'approved');
      assertError(await api.patch(url, { body: 'v3' }), 422, 'invalid', null);
      t.clock.tick(DAY - 6);
      assertError(await api.patch(url, { body: 'v3' }), 422, 'invalid', null);
      t.clock.tick(1);
      assert.equal((await api.patch<TemplateJson>(url, { body: 'v3', name: '' })).body.state, 'pending', 'a day later; an empty name is ignored too');
      t.clock.tick(5);
      await runDueJobs(t, api.businessId);

      // Rejected and paused templates are editable.
      const ctx = tenantOf(api);
      await rejectTemplate(ctx, idOf(template), 'Policy');
      t.clock.tick(DAY);
      assert.equal((await api.patch<TemplateJson>(url, { body: 'v4' })).body.state, 'pending');
      t.clock.tick(5);
      await runDueJobs(t, api.businessId);
      await pauseTemplate(ctx, idOf(template), 'Quality');
      t.clock.tick(DAY);
      assert.equal((await api.patch<TemplateJson>(url, { body: 'v5' })).body.state, 'pending');
      t.clock.tick(5);
      await runDueJobs(t, api.businessId);
      // A rejected template goes back to review even unchanged.
      await rejectTemplate(ctx, idOf(template), 'Policy');
      t.clock.tick(DAY);
      assert.equal((await api.patch<TemplateJson>(url, {})).body.state, 'pending');
      t.clock.tick(5);
      await runDueJobs(t, api.businessId);

      // Moved to SMS, it is approved at once and no longer bound by WhatsApp's rules.
      t.clock.tick(DAY);
      const sms = await api.patch<TemplateJson>(url, { technology: 'sms' });
      assert.deepEqual([sms.body.state, sms.body.technology], ['approved', 'sms']);
      assert.equal((await api.patch<TemplateJson>(url, { name: 'renamed' })).body.name, 'renamed');
      assert.equal((await api.patch<TemplateJson>(url, { body: 'again' })).body.body, 'again');
    }
  });

  test('the name of a deleted approved WhatsApp template is locked for 30 days; other deleted names are free at once', async () => {
    const api = await business(t, { whatsapp: 'dev-inbox' });
    const approved = await create(api, { name: 'promo', body: 'x', technology: 'whatsapp' });
    const pending = await create(api, { name: 'draft', body: 'x', technology: 'whatsapp' });
    t.clock.tick(5);
    await runDueJobs(t, api.businessId);
    const stillPending = await create(api, { name: 'still pending', body: 'x', technology: 'whatsapp' });
    await api.delete(`/v1/templates/${approved.id}`);
    await api.delete(`/v1/templates/${stillPending.id}`);
    assertError(await api.post('/v1/templates', { name: 'promo', body: 'x', technology: 'sms' }), 422, 'parameter_not_unique', 'name');
    assert.equal((await create(api, { name: 'still pending', body: 'x', technology: 'sms' })).state, 'approved');
    const sms = await create(api, { name: 'other', body: 'x', technology: 'sms' });
    assertError(await api.patch(`/v1/templates/${sms.id}`, { name: 'promo' }), 422, 'parameter_not_unique', 'name');
    t.clock.tick(30 * DAY - 1);
    assertError(await api.post('/v1/templates', { name: 'promo', body: 'x' }), 422, 'parameter_not_unique', 'name');
    t.clock.tick(1);
    assert.equal((await create(api, { name: 'promo', body: 'x', technology: 'sms' })).name, 'promo');
    // Paused is approved too; SMS templates never lock their name.
    await pauseTemplate(tenantOf(api), idOf(pending), 'Quality');
    await api.delete(`/v1/templates/${pending.id}`);
    assertError(await api.post('/v1/templates', { name: 'draft', body: 'x' }), 422, 'parameter_not_unique', 'name');
    await api.delete(`/v1/templates/${sms.id}`);
    assert.equal((await create(api, { name: 'other', body: 'x', technology: 'sms' })).name, 'other');
    // Another business is not bound by this one's deletions.
    assert.equal((await create(await business(t), { name: 'draft', body: 'x' })).name, 'draft');
  });
});

describe('template approval through the worker', () => {
  test('the installation registers the template jobs: a worker approves a dev-inbox WhatsApp template', async () => {
    // Workers see every business's jobs: a database of their own.
    const t = await testApp({ ownDatabase: true, config: { TEMPLATE_APPROVAL_DELAY_MS: '0' } });
    const worker = new Worker(t.core, jobHandlers(t.core), { concurrency: 1, pollMs: 10, leaseMs: 5000, workerId: 'templates', backoff: { baseMs: 10, maxMs: 100 } });
    try {
      const { business: created, token } = await testBusiness(t.core);
      await t.core.db
        .insertInto('channels')
        .values({ business_id: created.id, technology: 'whatsapp', origin: '+59898000001', provider: 'dev-inbox', settings: '{}', rate: 10, active: 1, created_at: 0, updated_at: 0 })
        .execute();
      const api = new Shop(t, token, 'json', created.id);
      const template = await create(api, { name: 'wa', body: 'x', technology: 'whatsapp' });
      assert.equal(template.state, 'pending');
      worker.start();
      await until(async () => (await api.get<TemplateJson>(`/v1/templates/${template.id}`)).body.state === 'approved', 5000, 'the approval');
    } finally {
      await worker.stop(1000);
      await t.close();
    }
  });
});
