import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { InvalidSettingsError } from './provider-definition.js';
import type { WebhookRequest } from './provider.js';
import { startWhatsappCloudFake, testDeps, type WhatsappCloudFake } from './testing.js';
import { whatsappCloudProvider } from './whatsapp-cloud.provider.js';
import { deleteWhatsappTemplate, submitWhatsappTemplate, templateComponents, type WhatsappTemplateDefinition } from './whatsapp-cloud.templates.js';

const SETTINGS = { phoneNumberId: '1055', businessAccountId: '2042', appId: '77', accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-me', apiVersion: 'v21.0', timeoutMs: 2_000 };

const DEFINITION: WhatsappTemplateDefinition = {
  name: 'spring_sale',
  language: 'es_AR',
  category: 'MARKETING',
  header: { format: 'TEXT', text: 'Hola {{1}}', example: 'Ana' },
  body: { text: 'Hola {{1}}, tu código es {{2}}.', examples: ['Ana', 'https://hellohub.test/s/Ab3dE9xQ'] },
  footer: 'Acme',
  buttons: [
    { type: 'QUICK_REPLY', text: 'Stop' },
    { type: 'URL', text: 'Shop', url: 'https://acme.test/sale' },
    { type: 'PHONE_NUMBER', text: 'Call', phoneNumber: '+15550001111' },
    { type: 'COPY_CODE', example: 'SPRING10' },
  ],
};

const settingsFor = (fake: WhatsappCloudFake, overrides: Record<string, unknown> = {}) => ({ ...SETTINGS, baseUrl: fake.origin, ...overrides });
const bodyOf = (fake: WhatsappCloudFake, index = -1): unknown => JSON.parse(fake.seen.at(index)?.body ?? '{}');

test('components: header, body with positional examples, footer and every button type, in Meta\'s creation syntax', () => {
  assert.deepEqual(templateComponents(DEFINITION), [
    { type: 'HEADER', format: 'TEXT', text: 'Hola {{1}}', example: { header_text: ['Ana'] } },
    { type: 'BODY', text: 'Hola {{1}}, tu código es {{2}}.', example: { body_text: [['Ana', 'https://hellohub.test/s/Ab3dE9xQ']] } },
    { type: 'FOOTER', text: 'Acme' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'URL', text: 'Shop', url: 'https://acme.test/sale' },
        { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550001111' },
        { type: 'COPY_CODE', example: 'SPRING10' },
      ],
    },
  ]);
  const plain: WhatsappTemplateDefinition = { name: 'n', language: 'en_US', category: 'MARKETING', body: { text: 'No tags', examples: [] }, buttons: [] };
  assert.deepEqual(templateComponents(plain), [{ type: 'BODY', text: 'No tags' }], 'no example without variables, no empty parts');
  assert.deepEqual(templateComponents({ ...plain, header: { format: 'LOCATION' } })[0], { type: 'HEADER', format: 'LOCATION' });
  assert.deepEqual(templateComponents({ ...plain, header: { format: 'TEXT', text: 'Static' } })[0], { type: 'HEADER', format: 'TEXT', text: 'Static' });
  const image = { ...plain, header: { format: 'IMAGE' as const, sample: { content: Buffer.from('x'), contentType: 'image/png', filename: 'a.png' } } };
  assert.deepEqual(templateComponents(image, '4::h')[0], { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::h'] } });
});

test('submit: POST /{waba}/message_templates with name, language, category and components; an edit posts to the template id', { timeout: 10_000 }, async (t) => {
  const fake = await startWhatsappCloudFake(t);
  const deps = testDeps(t);
  const created = await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION);
  assert.deepEqual(created, { kind: 'submitted', id: '1001', status: 'PENDING', category: 'MARKETING' });
  const [request] = fake.calls('create');
  assert.equal(request?.method, 'POST');
  assert.equal(request?.url, '/v21.0/2042/message_templates');
  assert.equal(request?.headers.authorization, 'Bearer EAAG-token');
  assert.deepEqual(bodyOf(fake), { name: 'spring_sale', language: 'es_AR', category: 'MARKETING', components: templateComponents(DEFINITION) });

  fake.status = 'APPROVED';
  assert.deepEqual(await submitWhatsappTemplate(settingsFor(fake), deps, { ...DEFINITION, name: 'other' }), { kind: 'submitted', id: '1002', status: 'APPROVED', category: 'MARKETING' }, 'an immediate verdict is answered');

  const edited = await submitWhatsappTemplate(settingsFor(fake), deps, { ...DEFINITION, footer: 'New' }, '1001');
  assert.deepEqual(edited, { kind: 'submitted', id: '1001', status: 'PENDING' });
  assert.equal(fake.seen.at(-1)?.url, '/v21.0/1001');
  assert.deepEqual(bodyOf(fake), { category: 'MARKETING', components: templateComponents({ ...DEFINITION, footer: 'New' }) });
});

test('a create WhatsApp refuses because it has the template already answers the existing one (a retry after a lost answer)', { timeout: 10_000 }, async (t) => {
  const fake = await startWhatsappCloudFake(t);
  const deps = testDeps(t);
  await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION);
  const again = await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION);
  assert.deepEqual(again, { kind: 'submitted', id: '1001', status: 'PENDING', category: 'MARKETING', adopted: true });
  const [list] = fake.calls('list');
  assert.equal(new URL(list?.url ?? '', 'http://x').searchParams.get('name'), 'spring_sale');
  // Another language of the same name is not it.
  const spanish = await submitWhatsappTemplate(settingsFor(fake), deps, { ...DEFINITION, language: 'es' });
  assert.equal(spanish.kind === 'submitted' && spanish.id, '1002');
});

test('errors map as sends do: 4xx permanent with Meta\'s explanation, 429/5xx and rate-limit codes retryable; no account id is permanent', { timeout: 10_000 }, async (t) => {
  const fake = await startWhatsappCloudFake(t);
  const deps = testDeps(t);
  const answer = (status: number, error: Record<string, unknown>) => {
    fake.override = (_request, response) => (response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error })), true);
  };
  answer(400, { message: 'Invalid parameter', code: 100, error_user_msg: "Variables can't be at the start or end of the template." });
  const refused = await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION);
  assert.equal(refused.kind, 'permanent');
  assert.match(refused.kind === 'permanent' ? refused.reason : '', /^whatsapp-cloud 400 \(100\): Invalid parameter \(Variables can't be at the start/);

  answer(503, { message: 'Service unavailable', code: 2 });
  assert.equal((await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION)).kind, 'retryable');
  answer(400, { message: 'Too many calls', code: 80007 });
  assert.equal((await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION)).kind, 'retryable');

  fake.override = () => false;
  const noAccount = await submitWhatsappTemplate(settingsFor(fake, { businessAccountId: undefined }), deps, DEFINITION);
  assert.equal(noAccount.kind, 'permanent');
  assert.match(noAccount.kind === 'permanent' ? noAccount.reason : '', /businessAccountId/);
  await assert.rejects(submitWhatsappTemplate({ phoneNumberId: 'x' }, deps, DEFINITION), InvalidSettingsError);
});

test('a media header uploads its sample (Resumable Upload API) and submits the handle; without appId it is refused', { timeout: 10_000 }, async (t) => {
  const fake = await startWhatsappCloudFake(t);
  const deps = testDeps(t);
  const sample = { content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png', filename: 'sale.png' };
  const image: WhatsappTemplateDefinition = { ...DEFINITION, header: { format: 'IMAGE', sample } };
  assert.equal((await submitWhatsappTemplate(settingsFor(fake), deps, image)).kind, 'submitted');
  const [session, bytes] = fake.calls('upload');
  const query = new URL(session?.url ?? '', 'http://x');
  assert.equal(query.pathname, '/v21.0/77/uploads');
  assert.deepEqual([query.searchParams.get('file_name'), query.searchParams.get('file_length'), query.searchParams.get('file_type')], ['sale.png', '4', 'image/png']);
  assert.equal(bytes?.url, '/v21.0/upload:MTphdHRhY2htZW50');
  assert.equal(bytes?.headers.authorization, 'OAuth EAAG-token');
  assert.equal(bytes?.headers.file_offset, '0');
  assert.deepEqual((bodyOf(fake) as { components: unknown[] }).components[0], { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aGFuZGxl'] } });

  const noApp = await submitWhatsappTemplate(settingsFor(fake, { appId: undefined }), deps, { ...image, name: 'x' });
  assert.match(noApp.kind === 'permanent' ? noApp.reason : '', /appId/);
});

test('delete: DELETE /{waba}/message_templates?name=…&hsm_id=…', { timeout: 10_000 }, async (t: TestContext) => {
  const fake = await startWhatsappCloudFake(t);
  const deps = testDeps(t);
  await submitWhatsappTemplate(settingsFor(fake), deps, DEFINITION);
  assert.deepEqual(await deleteWhatsappTemplate(settingsFor(fake), deps, { name: 'spring_sale', id: '1001' }), { kind: 'deleted' });
  const [request] = fake.calls('delete');
  assert.equal(request?.url, '/v21.0/2042/message_templates?name=spring_sale&hsm_id=1001');
  assert.equal(fake.templates.length, 0);
  assert.equal((await deleteWhatsappTemplate(settingsFor(fake), deps, { name: 'spring_sale', id: '1001' })).kind, 'permanent', 'already gone');
});

function signed(payload: unknown): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const signature = `sha256=${createHmac('sha256', SETTINGS.appSecret).update(rawBody).digest('hex')}`;
  return { method: 'POST', headers: { 'x-hub-signature-256': signature }, query: {}, rawBody, url: 'https://hooks.example.test/hooks/whatsapp-cloud/7', receivedAt: 1_700_000_000_000 };
}

test('webhook: message_template_status_update becomes template updates; quality and category updates are ignored', () => {
  const change = (field: string, value: Record<string, unknown>) => ({ field, value });
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '2042',
        changes: [
          change('message_template_status_update', { event: 'APPROVED', message_template_id: 1001, message_template_name: 'spring_sale', message_template_language: 'es_AR', reason: 'NONE' }),
          change('message_template_status_update', { event: 'REJECTED', message_template_id: 1002, message_template_name: 'other', message_template_language: 'es_AR', reason: 'INVALID_FORMAT' }),
          change('message_template_status_update', {
            event: 'PAUSED',
            message_template_id: 1003,
            message_template_name: 'third',
            message_template_language: 'en_US',
            reason: null,
            other_info: { title: 'FIRST_PAUSE', description: 'Paused for 3 hours: low quality' },
          }),
          change('message_template_quality_update', { previous_quality_score: 'GREEN', new_quality_score: 'YELLOW', message_template_id: 1001 }),
          change('message_template_status_update', { event: 'APPROVED' }),
        ],
      },
    ],
  };
  const result = whatsappCloudProvider.parseWebhook({ ...SETTINGS, baseUrl: 'https://graph.facebook.com' }, signed(payload));
  assert.equal(result.kind, 'handled');
  assert.deepEqual(result.kind === 'handled' && { ...result, reply: undefined }, {
    kind: 'handled',
    receipts: [],
    inbound: [],
    templateUpdates: [
      { providerTemplateId: '1001', event: 'APPROVED', name: 'spring_sale', language: 'es_AR' },
      { providerTemplateId: '1002', event: 'REJECTED', name: 'other', language: 'es_AR', reason: 'INVALID_FORMAT' },
      { providerTemplateId: '1003', event: 'PAUSED', name: 'third', language: 'en_US', reason: 'FIRST_PAUSE: Paused for 3 hours: low quality' },
    ],
    reply: undefined,
  });
  const forged = { ...signed(payload), headers: { 'x-hub-signature-256': 'sha256=00' } };
  assert.equal(whatsappCloudProvider.parseWebhook({ ...SETTINGS, baseUrl: 'https://graph.facebook.com' }, forged).kind, 'rejected', 'the same signature check as every other webhook');
});
