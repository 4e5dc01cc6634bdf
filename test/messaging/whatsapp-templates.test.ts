import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { InjectOptions } from 'fastify';
import { startWhatsappCloudFake, type WhatsappCloudFake } from '../../src/channels/testing.js';
import { positionalText, whatsappName } from '../../src/core/messaging/templates.sending.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { createChannel, ENCODINGS, messagingApp, send, settled, tenant, until, type Api, type ChannelJson, type Encoding, type MessagingApp, type TemplateJson } from './messages-support.js';

/** WhatsApp Cloud template review end to end: submission job, status webhooks, edits, deletion, sends. */


const PHONE = '+31612345678';
const APP_SECRET = 'app-secret';

const TEMPLATE = {
  name: 'Oferta de Primavera',
  technology: 'whatsapp',
  body: 'Hola {name}, tu cupón te espera en {shortlink:https://acme.test/sale}. ¡Gracias, {name}!',
  header: { type: 'text', text: 'Para {name}' },
  footer: 'Acme',
  buttons: [
    { type: 'quick_reply', text: 'Stop' },
    { type: 'url', text: 'Shop', url: 'https://acme.test/sale' },
    { type: 'phone', text: 'Call', phone: '+31 (20) 123-4567' },
    { type: 'copy', text: 'Copy', copy: 'SPRING10' },
  ],
};

test('tags become positional variables, every occurrence its own, in reading order; names take WhatsApp\'s form', () => {
  const { text, tags } = positionalText('Hi {name}, {shortlink:https://a.test} and {Name} {x');
  assert.equal(text, 'Hi {{1}}, {{2}} and {{3}} {x');
  assert.deepEqual(
    tags.map((tag) => tag.kind),
    ['property', 'shortlink', 'property'],
  );
  assert.equal(whatsappName('Oferta de Primavera!'), 'oferta_de_primavera');
  assert.equal(whatsappName('Día  de la Madre 2026'), 'dia_de_la_madre_2026');
  assert.equal(whatsappName('¡¡¡'), 'template');
});

describe('WhatsApp Cloud templates', () => {
  let t: MessagingApp;
  before(async () => {
    t = await messagingApp({ clock: systemClock, ownDatabase: true });
    t.startWorker();
  });
  after(() => t.close());

  const settings = (fake: WhatsappCloudFake, extra: Record<string, unknown> = {}) => ({
    baseUrl: fake.origin,
    phoneNumberId: '1234567',
    businessAccountId: '2042',
    accessToken: 'token',
    appSecret: APP_SECRET,
    verifyToken: 'verify-me',
    timeoutMs: 2000,
    ...extra,
  });

  async function whatsappBusiness(ctx: TestContext, encoding: Encoding = 'json', extra: Record<string, unknown> = {}): Promise<{ api: Api; fake: WhatsappCloudFake; channel: ChannelJson }> {
    const fake = await startWhatsappCloudFake(ctx);
    const api = await tenant(t, encoding);
    const channel = await createChannel(api, { technology: 'whatsapp', origin: `+3161234${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`, provider: 'whatsapp-cloud', settings: settings(fake, extra) });
    return { api, fake, channel };
  }

  async function create(api: Api, body: Record<string, unknown>): Promise<TemplateJson> {
    const res = await api.post<TemplateJson>('/templates', body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async function read(api: Api, id: string): Promise<TemplateJson> {
    const res = await api.get<TemplateJson>(`/templates/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  const rowOf = (id: string) =>
    t.core.db
      .selectFrom('templates')
      .select(['provider_template_id', 'provider_template_name', 'language', 'category', 'state_reason', 'submitted_at', 'targets_whatsapp'])
      .where('id', '=', t.ids.decode('template', id) ?? 0)
      .executeTakeFirstOrThrow();

  /** Meta's signed status webhook for one template. */
  function statusHook(channel: ChannelJson, value: Record<string, unknown>, secret = APP_SECRET): InjectOptions {
    const payload = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '2042', time: 1_700_000_000, changes: [{ field: 'message_template_status_update', value }] }] });
    return {
      method: 'POST',
      url: new URL(channel.webhook_url ?? '').pathname,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}` },
      payload,
    };
  }

  async function hook(channel: ChannelJson, value: Record<string, unknown>): Promise<void> {
    const res = await t.app.inject(statusHook(channel, value));
    assert.equal(res.statusCode, 200, res.body);
  }

  const stateBecomes = (api: Api, id: string, state: string) => until(async () => (await read(api, id)).state === state, 5_000, `template ${id} to be ${state}`);
  const submitted = async (id: string) => until(async () => (await rowOf(id)).submitted_at !== null, 5_000, `template ${id} to be submitted`);

  test('create: the job submits name, language, category and components with positional variables; the template stays pending', async (ctx) => {
    for (const encoding of ENCODINGS) {
      const { api, fake } = await whatsappBusiness(ctx, encoding);
      const template = await create(api, TEMPLATE);
      assert.equal(template.state, 'pending');
      await submitted(template.id);
      assert.equal((await read(api, template.id)).state, 'pending');
      const [request] = fake.calls('create');
      assert.equal(request?.url, '/v21.0/2042/message_templates');
      assert.equal(request?.headers.authorization, 'Bearer token');
      assert.deepEqual(JSON.parse(request?.body ?? '{}'), {
        name: 'oferta_de_primavera',
        language: 'nl',
        category: 'MARKETING',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Para {{1}}', example: { header_text: ['Ana'] } },
          {
            type: 'BODY',
            text: 'Hola {{1}}, tu cupón te espera en {{2}}. ¡Gracias, {{3}}!',
            example: { body_text: [['Ana', `${t.core.config.PUBLIC_URL}/s/Ab3dE9xQ`, 'Ana']] },
          },
          { type: 'FOOTER', text: 'Acme' },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Stop' },
              { type: 'URL', text: 'Shop', url: 'https://acme.test/sale' },
              { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+31201234567' },
              { type: 'COPY_CODE', example: 'SPRING10' },
            ],
          },
        ],
      });
      const row = await rowOf(template.id);
      assert.deepEqual([row.provider_template_id, row.provider_template_name, row.language, row.category], ['1001', 'oferta_de_primavera', 'nl', 'MARKETING']);
    }
  });

  test('status webhooks: APPROVED approves, PAUSED pauses, REJECTED rejects with the reason; others and foreign channels change nothing', async (ctx) => {
    const { api, channel } = await whatsappBusiness(ctx);
    const template = await create(api, { name: 'shipping', technology: 'whatsapp', body: 'Your order shipped, {name}.' });
    await submitted(template.id);
    const event = (name: string, extra: Record<string, unknown> = {}) => ({ event: name, message_template_id: 1001, message_template_name: 'shipping', message_template_language: 'nl', reason: 'NONE', ...extra });

    await hook(channel, event('FLAGGED'));
    assert.equal((await read(api, template.id)).state, 'pending', 'a flag is no verdict');
    // Another business's channel, even with the same WhatsApp id, reaches nothing.
    const other = await whatsappBusiness(ctx);
    await hook(other.channel, event('REJECTED'));
    assert.equal((await read(api, template.id)).state, 'pending');

    await hook(channel, event('APPROVED'));
    assert.equal((await read(api, template.id)).state, 'approved');
    await hook(channel, event('PAUSED', { reason: null, other_info: { title: 'FIRST_PAUSE', description: 'Low quality' } }));
    assert.equal((await read(api, template.id)).state, 'paused');
    assert.equal((await rowOf(template.id)).state_reason, 'FIRST_PAUSE: Low quality');
    await hook(channel, event('REINSTATED'));
    assert.equal((await read(api, template.id)).state, 'approved');
    await hook(channel, event('REJECTED', { reason: 'INVALID_FORMAT' }));
    assert.equal((await read(api, template.id)).state, 'rejected');
    assert.equal((await rowOf(template.id)).state_reason, 'INVALID_FORMAT');

    const forged = await t.app.inject(statusHook(channel, event('APPROVED'), 'another-secret'));
    assert.equal(forged.statusCode, 403);
    assert.equal((await read(api, template.id)).state, 'rejected', 'an unsigned status changes nothing');
  });

  test('an immediate verdict in the answer applies at once', async (ctx) => {
    const { api, fake } = await whatsappBusiness(ctx);
    fake.status = 'APPROVED';
    const template = await create(api, { name: 'quick', technology: 'whatsapp', body: 'Hi' });
    await stateBecomes(api, template.id, 'approved');
  });

  test('an edit resubmits to the template id (POST /{id}) and goes back to pending', async (ctx) => {
    for (const encoding of ENCODINGS) {
      const { api, fake, channel } = await whatsappBusiness(ctx, encoding);
      const template = await create(api, { name: 'welcome', technology: 'whatsapp', body: 'Welcome {name}' });
      await submitted(template.id);
      await hook(channel, { event: 'APPROVED', message_template_id: 1001, message_template_name: 'welcome', message_template_language: 'nl', reason: 'NONE' });
      const edited = await api.patch<TemplateJson>(`/templates/${template.id}`, { body: 'Welcome back {name}', footer: 'Acme' });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.state, 'pending');
      await until(() => fake.calls('edit').length === 1, 5_000, 'the edit call');
      const [request] = fake.calls('edit');
      assert.equal(request?.url, '/v21.0/1001');
      assert.deepEqual(JSON.parse(request?.body ?? '{}'), {
        category: 'MARKETING',
        components: [
          { type: 'BODY', text: 'Welcome back {{1}}', example: { body_text: [['Ana']] } },
          { type: 'FOOTER', text: 'Acme' },
        ],
      });
      assert.equal(fake.calls('create').length, 1, 'not created again');
      await submitted(template.id);
      assert.equal((await read(api, template.id)).state, 'pending');
    }
  });

  test('a permanent provider error rejects the template with the reason; a channel without its account id too', async (ctx) => {
    const { api, fake } = await whatsappBusiness(ctx);
    fake.override = (request, response) => {
      if (request.method !== 'POST') return false;
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Invalid parameter', code: 100, error_user_msg: 'The body has too many variables for its length.' } }));
      return true;
    };
    const template = await create(api, { name: 'bad', technology: 'whatsapp', body: 'x {name}' });
    await stateBecomes(api, template.id, 'rejected');
    assert.match((await rowOf(template.id)).state_reason ?? '', /400 \(100\): Invalid parameter \(The body has too many variables/);

    const noAccount = await whatsappBusiness(ctx, 'json', { businessAccountId: undefined });
    const orphan = await create(noAccount.api, { name: 'orphan', technology: 'whatsapp', body: 'x' });
    await stateBecomes(noAccount.api, orphan.id, 'rejected');
    assert.match((await rowOf(orphan.id)).state_reason ?? '', /businessAccountId/);
    assert.equal(noAccount.fake.seen.length, 0);
  });

  test('retryable errors retry with the worker\'s backoff until WhatsApp takes it', async (ctx) => {
    const { api, fake } = await whatsappBusiness(ctx);
    let failures = 2;
    fake.override = (request, response) => {
      if (request.method !== 'POST' || failures === 0) return false;
      failures -= 1;
      response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Service unavailable', code: 2 } }));
      return true;
    };
    const template = await create(api, { name: 'flaky', technology: 'whatsapp', body: 'x' });
    await submitted(template.id);
    assert.equal(fake.calls('create').length, 3);
    assert.equal((await read(api, template.id)).state, 'pending');
  });

  test('an approved template goes out by WhatsApp name and language, the tags\' values as positional parameters', async (ctx) => {
    const { api, fake, channel } = await whatsappBusiness(ctx);
    const template = await create(api, TEMPLATE);
    await submitted(template.id);
    await hook(channel, { event: 'APPROVED', message_template_id: 1001, message_template_name: 'oferta_de_primavera', message_template_language: 'nl', reason: 'NONE' });
    const profile = await api.createProfile({ phone: PHONE, first_name: 'Eva', subscribe: true });
    const sent = await send(api, { profile, template: template.id, technology: 'whatsapp' });
    const routed = await settled(api, sent.id, ['routed', 'failed']);
    assert.equal(routed.state, 'routed', routed.failure_reason ?? '');
    const request = JSON.parse(fake.calls('messages')[0]?.body ?? '{}') as { template?: { name: string; language: unknown; components: Array<Record<string, unknown>> } };
    const [header, body, copy] = request.template?.components ?? [];
    assert.equal(request.template?.name, 'oferta_de_primavera');
    assert.deepEqual(request.template?.language, { code: 'nl' });
    assert.deepEqual(header, { type: 'header', parameters: [{ type: 'text', text: 'Eva' }] });
    assert.equal(body?.type, 'body');
    const parameters = (body?.parameters ?? []) as Array<{ type: string; text: string }>;
    assert.equal(parameters.length, 3);
    assert.deepEqual([parameters[0], parameters[2]], [{ type: 'text', text: 'Eva' }, { type: 'text', text: 'Eva' }]);
    assert.match(parameters[1]?.text ?? '', new RegExp(`^${t.core.config.PUBLIC_URL}/s/`), 'the short link made for this message');
    assert.deepEqual(copy, { type: 'button', sub_type: 'copy_code', index: '3', parameters: [{ type: 'coupon_code', coupon_code: 'SPRING10' }] });
    assert.match(routed.body, /^Hola Eva, tu cupón te espera en http/);
  });

  test('a WhatsApp Cloud channel added later: any templates are submitted too and stay usable on SMS until WhatsApp approves them', async (ctx) => {
    const fake = await startWhatsappCloudFake(ctx);
    const api = await tenant(t);
    const template = await create(api, { name: 'Promo', body: 'Hi {name}' });
    assert.equal(template.state, 'approved');
    const channel = await createChannel(api, { technology: 'whatsapp', origin: '+31612349999', provider: 'whatsapp-cloud', settings: settings(fake) });
    await submitted(template.id);
    assert.equal(JSON.parse(fake.calls('create')[0]?.body ?? '{}').name, 'promo');
    assert.equal((await read(api, template.id)).state, 'approved', 'still approved for SMS');
    assert.equal((await rowOf(template.id)).targets_whatsapp, 0, 'not usable on WhatsApp yet');
    const profile = await api.createProfile({ phone: PHONE, subscribe: true });
    assert.equal((await send(api, { profile, template: template.id })).technology, 'sms', 'meanwhile it goes by SMS');

    await hook(channel, { event: 'APPROVED', message_template_id: 1001, message_template_name: 'promo', message_template_language: 'nl', reason: 'NONE' });
    assert.equal((await rowOf(template.id)).targets_whatsapp, 1);
    assert.equal((await send(api, { profile, template: template.id })).technology, 'whatsapp', 'now WhatsApp, first in priority');
  });

  test('deleting a submitted template deletes it from the WhatsApp account (best effort)', async (ctx) => {
    const { api, fake } = await whatsappBusiness(ctx);
    const template = await create(api, { name: 'gone', technology: 'whatsapp', body: 'x' });
    await submitted(template.id);
    const res = await api.delete(`/templates/${template.id}`);
    assert.equal(res.status, 200, res.text);
    await until(() => fake.calls('delete').length === 1, 5_000, 'the delete call');
    assert.equal(fake.calls('delete')[0]?.url, '/v21.0/2042/message_templates?name=gone&hsm_id=1001');
    await t.drain();
    assert.equal(fake.templates.length, 0);
  });
});
