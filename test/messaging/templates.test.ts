import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Api, assertError, audienceApp, ENCODINGS, sortedKeys, type AudienceApp, type Encoding } from '../audience/audience-client.js';
import { Shop } from '../commerce/commerce-client.js';
import type { TemplateJson } from './messages-support.js';
import { testBusiness } from '../support/app.js';

/** POST/GET/PATCH/DELETE /v1/templates[/:id] and GET /v1/templates: the object, its components and their rules. */



const TEMPLATE_KEYS = ['body', 'buttons', 'created_at', 'footer', 'header', 'id', 'name', 'state', 'technology', 'type'];

/** The reference's example buttons, in its order. */
const BUTTONS = [
  { type: 'copy', copy: '123456', text: 'Copy text' },
  { type: 'url', text: 'Visit our website', url: 'https://example.com' },
  { type: 'phone', phone: '+1234567890', text: 'Call us' },
  { type: 'quick_reply', text: 'Button text' },
  { type: 'quick_reply', text: 'Button text' },
  { type: 'quick_reply', text: 'Button text' },
];

const FULL = {
  name: 'welcome',
  body: 'Hello, how can I help you today?',
  buttons: BUTTONS,
  footer: 'Send STOP to unsubscribe',
  header: { type: 'text', text: 'Welcome to our store' },
};

/** A business of its own, and a client that indexes arrays of hashes in forms (`buttons[0][type]`). */
async function business(t: AudienceApp, encoding: Encoding = 'json'): Promise<{ api: Shop; audience: Api }> {
  const { business: created, token } = await testBusiness(t.core);
  return { api: new Shop(t, token, encoding, created.id), audience: new Api(t, token, encoding, created.id) };
}

async function create(api: Shop, body: Record<string, unknown>): Promise<TemplateJson> {
  const res = await api.post<TemplateJson>('/v1/templates', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const buttons = (n: number, type = 'quick_reply') => Array.from({ length: n }, (_, i) => ({ type, text: `Button ${i + 1}` }));

describe('templates', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('the template object: create 201, retrieve, update, list, delete, in the documented shape', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const created = await create(api, FULL);
      assert.deepEqual(sortedKeys(created), TEMPLATE_KEYS);
      assert.deepEqual({ ...created, id: '-' }, { id: '-', type: 'template', ...FULL, created_at: t.clock.seconds, state: 'approved', technology: 'any' });
      const { id } = created;
      assert.deepEqual((await api.get<TemplateJson>(`/v1/templates/${id}`)).body, created);
      assert.deepEqual((await api.get<{ templates: TemplateJson[] }>('/v1/templates')).body, { templates: [created] });

      const updated = await api.patch<TemplateJson>(`/v1/templates/${id}`, { footer: 'Reply STOP to opt out' });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body, { ...created, footer: 'Reply STOP to opt out' });
      assert.deepEqual((await api.get<TemplateJson>(`/v1/templates/${id}`)).body, updated.body);

      const deleted = await api.delete<Record<string, unknown>>(`/v1/templates/${id}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.body, { id, type: 'template', deleted: true });
      assertError(await api.get(`/v1/templates/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/v1/templates/${id}`, { body: 'x' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/v1/templates/${id}`), 404, 'not_found', 'id');
      assert.deepEqual((await api.get('/v1/templates')).body, { templates: [] });
    }
  });

  test('body and name are required; technology defaults to any; optional parts are null or empty', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      assertError(await api.post('/v1/templates', { body: 'Hello {name}, how can we assist you today?', footer: 'Soon.' }), 400, 'parameter_missing', 'name');
      assertError(await api.post('/v1/templates', { name: 'hi' }), 400, 'parameter_missing', 'body');
      assertError(await api.post('/v1/templates', { name: 'hi', body: '' }), 422, 'parameter_invalid_empty', 'body');
      assertError(await api.post('/v1/templates', { name: 'hi', body: '   ' }), 422, 'parameter_invalid_empty', 'body');
      assertError(await api.post('/v1/templates', { name: '  ', body: 'x' }), 422, 'parameter_invalid_empty', 'name');
      assertError(await api.post('/v1/templates', { name: 'n'.repeat(201), body: 'x' }), 422, 'invalid', 'name');
      const minimal = await create(api, { name: ' hi ', body: 'Line one\nline two ' });
      assert.deepEqual({ ...minimal, id: '-' }, {
        id: '-',
        type: 'template',
        body: 'Line one\nline two ',
        buttons: [],
        created_at: t.clock.seconds,
        footer: null,
        header: null,
        name: 'hi',
        state: 'approved',
        technology: 'any',
      });
      assert.equal((await create(api, { name: 'n'.repeat(200), body: 'x', technology: '' })).technology, 'any');
      assertError(await api.post('/v1/templates', { name: 'x', body: 'x', technology: 'telegram' }), 422, 'invalid', 'technology');
      assert.equal((await create(api, { name: 'sms', body: 'x', technology: 'SMS' })).technology, 'sms');
    }
  });

  test('a POST without any body is 400 parameter_missing', async () => {
    const { api } = await business(t);
    const res = await t.app.inject({ method: 'POST', url: '/v1/templates', headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(res.statusCode, 400, res.body);
  });

  test('WhatsApp is refused without an integrated (active) WhatsApp channel', async () => {
    const { api } = await business(t);
    assertError(await api.post('/v1/templates', { name: 'wa', body: 'x', technology: 'whatsapp' }), 422, 'invalid', 'technology');
    await t.core.db
      .insertInto('channels')
      .values({ business_id: api.businessId, technology: 'whatsapp', origin: '+59898000001', provider: 'dev-inbox', settings: '{}', rate: 10, active: 0, created_at: 0, updated_at: 0 })
      .execute();
    assertError(await api.post('/v1/templates', { name: 'wa', body: 'x', technology: 'whatsapp' }), 422, 'invalid', 'technology');
    const sms = await create(api, { name: 'sms', body: 'x', technology: 'sms' });
    assertError(await api.patch(`/v1/templates/${sms.id}`, { technology: 'whatsapp' }), 422, 'invalid', 'technology');
  });

  test('SMS: 160 characters (an emoji is one), and no header, footer or buttons', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const sms = { name: 'sms', technology: 'sms' };
      assert.equal((await create(api, { ...sms, body: 'x'.repeat(160) })).body.length, 160);
      assertError(await api.post('/v1/templates', { ...sms, name: 'b', body: 'x'.repeat(161) }), 422, 'invalid', 'body');
      assert.equal((await create(api, { ...sms, name: 'emoji', body: '😀'.repeat(160) })).state, 'approved');
      assertError(await api.post('/v1/templates', { ...sms, name: 'h', body: 'x', header: { type: 'text', text: 'Hi' } }), 422, 'invalid', 'header');
      assertError(await api.post('/v1/templates', { ...sms, name: 'f', body: 'x', footer: 'STOP' }), 422, 'invalid', 'footer');
      assertError(await api.post('/v1/templates', { ...sms, name: 'b', body: 'x', buttons: buttons(1) }), 422, 'invalid', 'buttons');
      // Empty parts are no parts.
      assert.equal((await create(api, { ...sms, name: 'empty parts', body: 'x', footer: '', header: {}, buttons: [] })).footer, null);
    }
  });

  test('any and WhatsApp bodies: 1024 characters', async () => {
    const { api } = await business(t);
    assert.equal((await create(api, { name: 'long', body: 'x'.repeat(1024) })).body.length, 1024);
    assertError(await api.post('/v1/templates', { name: 'longer', body: 'x'.repeat(1025) }), 422, 'invalid', 'body');
  });

  test('headers: text (60 characters), attachment (a URL), address (read like a profile address); footer 160', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const text = await create(api, { name: 'text', body: 'x', header: { type: 'text', text: 'h'.repeat(60) }, footer: 'f'.repeat(160) });
      assert.deepEqual(text.header, { type: 'text', text: 'h'.repeat(60) });
      assert.equal(text.footer, 'f'.repeat(160));
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'text', text: 'h'.repeat(61) } }), 422, 'invalid', 'header[text]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'text' } }), 400, 'parameter_missing', 'header[text]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { text: 'Hi' } }), 400, 'parameter_missing', 'header[type]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'video', text: 'Hi' } }), 422, 'invalid', 'header[type]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: 'Welcome' }), 422, 'invalid', 'header');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', footer: 'f'.repeat(161) }), 422, 'invalid', 'footer');

      const attachment = await create(api, { name: 'image', body: 'x', header: { type: 'attachment', attachment_url: 'https://www.hellotext.com/my-amazing-image.jpg' } });
      assert.deepEqual(attachment.header, { type: 'attachment', attachment_url: 'https://www.hellotext.com/my-amazing-image.jpg' });
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'attachment' } }), 400, 'parameter_missing', 'header[attachment_url]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'attachment', attachment_url: 'ftp://x.com/a.jpg' } }), 422, 'invalid', 'header[attachment_url]');

      const address = {
        city: 'Montevideo',
        country: 'UY',
        latitude: '-34.9044168',
        longitude: '-56.1370421',
        postal_code: '11300',
        region: 'Departamento de Montevideo',
        street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
        subregion: 'CH',
      };
      const store = await create(api, { name: 'store', body: 'x', header: { type: 'address', address } });
      // The reference's example, BigDecimal coordinates included.
      assert.deepEqual(store.header, {
        type: 'address',
        address: {
          city: 'Montevideo',
          country: 'UY',
          latitude: '-0.349044168e2',
          longitude: '-0.561370421e2',
          notes: null,
          postal_code: '11300',
          region: 'Departamento de Montevideo',
          street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
          subregion: 'CH',
        },
      });
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'address' } }), 400, 'parameter_missing', 'header[address]');
      assertError(await api.post('/v1/templates', { name: 'a', body: 'x', header: { type: 'address', address: { latitude: '99' } } }), 422, 'invalid', 'header[address]');
    }
  });

  test('an update removes the header with null, {} or an empty value, the footer with null or an empty value, the buttons with []', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      for (const removal of encoding === 'json' ? [null, {}, ''] : [null]) {
        const created = await create(api, { ...FULL, name: `full ${String(JSON.stringify(removal))}` });
        const res = await api.patch<TemplateJson>(`/v1/templates/${created.id}`, { header: removal, footer: removal === null ? null : '', buttons: [] });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body, { ...created, header: null, footer: null, buttons: [] });
      }
    }
  });

  test('buttons: at most 10, one phone, one copy, texts of 25, copy of 15, phone of 20, each type with its field', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const post = (name: string, list: unknown[]) => api.post<TemplateJson>('/v1/templates', { name, body: 'x', buttons: list });
      assert.equal((await create(api, { name: 'ten', body: 'x', buttons: buttons(10) })).buttons.length, 10);
      assertError(await post('eleven', buttons(11)), 422, 'invalid', 'buttons');
      assertError(await post('phones', [...buttons(2, 'phone').map((b) => ({ ...b, phone: '+1234567890' }))]), 422, 'invalid', 'buttons');
      assertError(await post('copies', [...buttons(2, 'copy').map((b) => ({ ...b, copy: 'SAVE10' }))]), 422, 'invalid', 'buttons');
      assertError(await post('long text', [{ type: 'quick_reply', text: 't'.repeat(26) }]), 422, 'invalid', 'buttons[0][text]');
      assert.equal((await create(api, { name: 'text 25', body: 'x', buttons: [{ type: 'quick_reply', text: 't'.repeat(25) }] })).buttons[0]?.text.length, 25);
      assertError(await post('no text', [{ type: 'quick_reply' }]), 400, 'parameter_missing', 'buttons[0][text]');
      assertError(await post('blank text', [{ type: 'quick_reply', text: ' ' }]), 422, 'parameter_invalid_empty', 'buttons[0][text]');
      assertError(await post('no type', [{ text: 'Hi' }]), 400, 'parameter_missing', 'buttons[0][type]');
      assertError(await post('bad type', [{ type: 'link', text: 'Hi' }]), 422, 'invalid', 'buttons[0][type]');
      assertError(await post('copy', [{ type: 'copy', text: 'Copy', copy: 'c'.repeat(16) }]), 422, 'invalid', 'buttons[0][copy]');
      assertError(await post('copy', [{ type: 'copy', text: 'Copy' }]), 400, 'parameter_missing', 'buttons[0][copy]');
      assertError(await post('phone', [{ type: 'phone', text: 'Call', phone: '+' + '1'.repeat(20) }]), 422, 'invalid', 'buttons[0][phone]');
      assertError(await post('phone', [{ type: 'phone', text: 'Call', phone: 'call me' }]), 422, 'invalid', 'buttons[0][phone]');
      assertError(await post('phone', [{ type: 'phone', text: 'Call' }]), 400, 'parameter_missing', 'buttons[0][phone]');
      assertError(await post('url', [{ type: 'url', text: 'Go' }]), 400, 'parameter_missing', 'buttons[0][url]');
      assertError(await post('url', [{ type: 'url', text: 'Go', url: 'example.com' }]), 422, 'invalid', 'buttons[0][url]');
      assertError(await post('second', [{ type: 'quick_reply', text: 'ok' }, { type: 'url', text: 'Go' }]), 400, 'parameter_missing', 'buttons[1][url]');
      // Fields of other types are not kept.
      const mixed = await create(api, { name: 'mixed', body: 'x', buttons: [{ type: 'quick_reply', text: 'Hi', url: 'https://x.com', copy: 'c' }] });
      assert.deepEqual(mixed.buttons, [{ type: 'quick_reply', text: 'Hi' }]);
      assertError(await api.post('/v1/templates', { name: 'scalar', body: 'x', buttons: ['Yes'] }), 422, 'invalid', 'buttons[0]');
    }
  });

  test('button positions order the buttons: 1 to 10, 0 as first, the others by their index', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const texts = (template: TemplateJson) => template.buttons.map((button) => button.text);
      const three = (positions: Array<number | string | undefined>) =>
        positions.map((position, i) => ({ type: 'quick_reply', text: ['A', 'B', 'C'][i], ...(position === undefined ? {} : { position }) }));
      assert.deepEqual(texts(await create(api, { name: 'one-based', body: 'x', buttons: three([3, 1, 2]) })), ['B', 'C', 'A']);
      assert.deepEqual(texts(await create(api, { name: 'zero-based', body: 'x', buttons: three([2, 0, 1]) })), ['B', 'C', 'A']);
      assert.deepEqual(texts(await create(api, { name: 'some', body: 'x', buttons: three([undefined, undefined, 1]) })), ['C', 'A', 'B']);
      assert.deepEqual(texts(await create(api, { name: 'text', body: 'x', buttons: three(['10', '', '5']) })), ['B', 'C', 'A']);
      assertError(await api.post('/v1/templates', { name: 'p', body: 'x', buttons: three([11]) }), 422, 'invalid', 'buttons[0][position]');
      assertError(await api.post('/v1/templates', { name: 'p', body: 'x', buttons: three([undefined, 'first']) }), 422, 'invalid', 'buttons[1][position]');
      assertError(await api.post('/v1/templates', { name: 'p', body: 'x', buttons: three([-1]) }), 422, 'invalid', 'buttons[0][position]');
    }
  });

  test('names are unique exactly (case-sensitive), per business, and free again after a delete', async () => {
    const { api } = await business(t);
    const first = await create(api, { name: 'Welcome', body: 'x' });
    assertError(await api.post('/v1/templates', { name: 'Welcome', body: 'y' }), 422, 'parameter_not_unique', 'name');
    assertError(await api.post('/v1/templates', { name: ' Welcome ', body: 'y' }), 422, 'parameter_not_unique', 'name');
    const lower = await create(api, { name: 'welcome', body: 'y' });
    assertError(await api.patch(`/v1/templates/${lower.id}`, { name: 'Welcome' }), 422, 'parameter_not_unique', 'name');
    assert.equal((await api.patch<TemplateJson>(`/v1/templates/${lower.id}`, { name: 'Hello' })).body.name, 'Hello');
    assertError(await api.patch(`/v1/templates/${lower.id}`, { name: '' }), 422, 'parameter_invalid_empty', 'name');
    const { api: other } = await business(t);
    assert.equal((await create(other, { name: 'Welcome', body: 'x' })).name, 'Welcome');
    await api.delete(`/v1/templates/${first.id}`);
    const again = await create(api, { name: 'Welcome', body: 'z' });
    assert.notEqual(again.id, first.id);
  });

  test('PATCH is partial, and revalidates the whole template against its technology', async () => {
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      const created = await create(api, FULL);
      const body = await api.patch<TemplateJson>(`/v1/templates/${created.id}`, { body: 'New body' });
      assert.deepEqual(body.body, { ...created, body: 'New body' });
      assertError(await api.patch(`/v1/templates/${created.id}`, { technology: 'sms' }), 422, 'invalid', 'header');
      assertError(await api.patch(`/v1/templates/${created.id}`, { body: '' }), 422, 'parameter_invalid_empty', 'body');
      const sms = await api.patch<TemplateJson>(`/v1/templates/${created.id}`, { technology: 'sms', header: null, footer: null, buttons: [] });
      assert.equal(sms.status, 200, sms.text);
      assert.deepEqual(sms.body, { ...created, body: 'New body', technology: 'sms', header: null, footer: null, buttons: [] });
      assertError(await api.patch(`/v1/templates/${created.id}`, { footer: 'STOP' }), 422, 'invalid', 'footer');
      assertError(await api.patch(`/v1/templates/${created.id}`, { body: 'x'.repeat(161) }), 422, 'invalid', 'body');
      assert.deepEqual((await api.get(`/v1/templates/${created.id}`)).body, sms.body, 'refused updates changed nothing');
      const empty = await api.patch<TemplateJson>(`/v1/templates/${created.id}`, {});
      assert.deepEqual(empty.body, sms.body);
    }
  });

  test('tags: built-ins and the business properties by name (any case) pass; unknown tags are invalid, naming the tag', async () => {
    for (const encoding of ENCODINGS) {
      const { api, audience } = await business(t, encoding);
      const body = 'Hello {name} {FULL_NAME} {last_name}, {birthday} {email} {phone} {address} {company} {gender}: {shortlink:https://shop.com/holidays} {shortlink:appointment}';
      assert.equal((await create(api, { name: 'built-ins', body })).body, body);
      const unknown = await api.post('/v1/templates', { name: 'passport', body: 'Hello {name}, with passport number {passport}, your ticket is confirmed.' });
      assertError(unknown, 422, 'invalid', 'body');
      assert.match((unknown.body as { errors: Array<{ message: string }> }).errors[0]?.message ?? '', /\{passport\}/);
      await audience.createProperty({ kind: 'text', name: 'Passport' });
      assert.equal((await create(api, { name: 'passport', body: 'Hello {name}, with passport number {passport} / { PASSPORT }.' })).state, 'approved');
      assertError(await api.post('/v1/templates', { name: 'h', body: 'x', header: { type: 'text', text: 'Hi {nickname}' } }), 422, 'invalid', 'header[text]');
      assertError(await api.post('/v1/templates', { name: 's', body: 'Go {shortlink:}' }), 422, 'invalid', 'body');
      assertError(await api.post('/v1/templates', { name: 's', body: 'Go {shortlink:www.shop.com}' }), 422, 'invalid', 'body');
      assertError(await api.post('/v1/templates', { name: 's', body: 'Go {shortlink:ftp://shop.com}' }), 422, 'invalid', 'body');
      // Braces without a tag are text.
      assert.equal((await create(api, { name: 'braces', body: 'Use {} or { } or } then {' })).state, 'approved');
      const template = await create(api, { name: 'update', body: 'x' });
      assertError(await api.patch(`/v1/templates/${template.id}`, { body: 'Hi {nickname}' }), 422, 'invalid', 'body');
      // Another business's property is no tag of this one.
      const { api: other } = await business(t, encoding);
      assertError(await other.post('/v1/templates', { name: 'p', body: '{passport}' }), 422, 'invalid', 'body');
    }
  });

  test('GET /v1/templates: {templates: […]} newest first, paginated, without deleted ones', async () => {
    const { api } = await business(t);
    for (const name of ['a', 'b', 'c', 'd']) await create(api, { name, body: name });
    const all = (await api.get<{ templates: TemplateJson[] }>('/v1/templates')).body.templates;
    const names = (list: TemplateJson[]) => list.map((template) => template.name);
    assert.deepEqual(names(all), ['d', 'c', 'b', 'a']);
    const page = async (query: string) => names((await api.get<{ templates: TemplateJson[] }>(`/v1/templates${query}`)).body.templates);
    assert.deepEqual(await page('?limit=2'), ['d', 'c']);
    assert.deepEqual(await page(`?limit=2&starting_after=${all[1]?.id}`), ['b', 'a']);
    assert.deepEqual(await page(`?ending_before=${all[2]?.id}`), ['d', 'c']);
    assertError(await api.get('/v1/templates?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
    assertError(await api.get('/v1/templates?limit=0'), 422, 'invalid', 'limit');
    await api.delete(`/v1/templates/${all[1]?.id}`);
    assert.deepEqual(await page(''), ['d', 'b', 'a']);
  });

  test("another business's template is 404 on every route; forged ids too", async () => {
    const { api: owner } = await business(t);
    const template = await create(owner, FULL);
    for (const encoding of ENCODINGS) {
      const { api } = await business(t, encoding);
      for (const id of [template.id, 'zz-zzzzz']) {
        assertError(await api.get(`/v1/templates/${id}`), 404, 'not_found', 'id');
        assertError(await api.patch(`/v1/templates/${id}`, { body: 'mine' }), 404, 'not_found', 'id');
        assertError(await api.delete(`/v1/templates/${id}`), 404, 'not_found', 'id');
      }
      assert.deepEqual((await api.get('/v1/templates')).body, { templates: [] });
      assert.equal((await create(api, { name: FULL.name, body: 'x' })).name, FULL.name);
    }
    assert.deepEqual((await owner.get(`/v1/templates/${template.id}`)).body, template);
  });
});
