import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderForProfile } from '../../src/core/messaging/rendering/profile-tags.js';
import { assertShortlinksGiven, templateForSending, templateUsableOn } from '../../src/core/messaging/templates.sending.js';
import { dynamicShortlinks, getTemplate } from '../../src/core/messaging/templates.service.js';
import { approveTemplate, pauseTemplate } from '../../src/core/messaging/templates.states.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { forBusiness, type TenantContext } from '../../src/core/shared/tenant.js';
import { audienceApp, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

/** renderForProfile with real profiles and properties, and what sending asks of templates. */

/** A shortener that numbers its links and remembers what it shortened (the engine passes createShortLink). */
function shortener() {
  const destinations: string[] = [];
  return {
    destinations,
    shortlink: async (destination: string) => {
      destinations.push(destination);
      return `http://localhost/s/code${destinations.length}`;
    },
  };
}

/** A domain error's code and parameter. */
function refusal(code: string, parameter: string) {
  return (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.deepEqual([error.code, error.parameter], [code, parameter]);
    return true;
  };
}

describe('rendering for a profile', () => {
  let t: AudienceApp;
  let api: Api;
  let ctx: TenantContext;
  let will: number;
  let blank: number;
  before(async () => {
    t = await audienceApp();
    api = await tenant(t);
    ctx = forBusiness(t.core, api.businessId);
    await api.createProperty({ kind: 'text', name: 'Passport' });
    await api.createProperty({ kind: 'date', name: 'Renewal' });
    await api.createProperty({ kind: 'tags', name: 'Interests' });
    await api.createProperty({ kind: 'checkbox', name: 'VIP' });
    const id = await api.createProfile({
      first_name: 'Will',
      last_name: 'Estrada',
      email: 'will.e@acme.com',
      phone: '+59898000001',
      birthday: '1985-11-03',
      company: 'Acme',
      gender: 'male',
      language: 'es',
      address: { street: { name: 'Av. Luis Alberto de Herrera', number: '1248' }, postal_code: '11300', city: 'Montevideo', country: 'UY' },
      property: { Passport: 'AB123', Renewal: '2027-01-15', Interests: ['shoes', 'bags'], VIP: 'true' },
    });
    will = t.ids.decode('profile', id) ?? 0;
    blank = t.ids.decode('profile', await api.createProfile({})) ?? 0;
  });
  after(() => t.close());

  test("built-in tags and custom properties, any case, with the profile's values as text", async () => {
    const { shortlink } = shortener();
    const text = '{name}|{FULL_NAME}|{last_name}|{birthday}|{email}|{phone}|{address}|{company}|{gender}|{passport}|{Renewal}|{interests}|{vip}';
    assert.equal(
      await renderForProfile(ctx, text, will, { shortlink }),
      'Will|Will Estrada|Estrada|3 de noviembre de 1985|will.e@acme.com|+59898000001|Av. Luis Alberto de Herrera 1248, 11300 Montevideo, UY|Acme|male|AB123|15 de enero de 2027|shoes, bags|yes',
    );
  });

  test('missing values render empty, and so do tags of properties deleted since the template was saved', async () => {
    const { shortlink } = shortener();
    assert.equal(await renderForProfile(ctx, 'Hi {name}{full_name}{email}{passport}, {nickname}.', blank, { shortlink }), 'Hi , .');
  });

  test('short links: static ones, and dynamic ones from the URLs given, each destination once per message', async () => {
    const links = shortener();
    const text = 'Hello {name}, click {shortlink:appointment} or {shortlink:reschedule}; shop at {shortlink:https://shop.com/holidays} ({shortlink:https://shop.com/holidays})';
    const rendered = await renderForProfile(ctx, text, will, {
      shortlink: links.shortlink,
      shortlinks: { appointment: 'https://example.com/appointments/1', reschedule: 'https://example.com/appointments/1/edit' },
    });
    assert.equal(rendered, 'Hello Will, click http://localhost/s/code1 or http://localhost/s/code2; shop at http://localhost/s/code3 (http://localhost/s/code3)');
    assert.deepEqual(links.destinations, ['https://example.com/appointments/1', 'https://example.com/appointments/1/edit', 'https://shop.com/holidays']);
    await assert.rejects(renderForProfile(ctx, text, will, { shortlink: links.shortlink, shortlinks: { appointment: 'https://x.com' } }), refusal('invalid', 'template[shortlinks][reschedule]'));
  });

  test("another business's profile is not found", async () => {
    const other = await tenant(t);
    const { shortlink } = shortener();
    await assert.rejects(renderForProfile(forBusiness(t.core, other.businessId), '{name}', will, { shortlink }), refusal('not_found', 'profile'));
  });

  test('sending: approved templates only, on their platforms; dynamic short links need their URLs', async () => {
    const post = async (body: Record<string, unknown>) => {
      const res = await api.post<{ id: string }>('/templates', body);
      assert.equal(res.status, 201, res.text);
      return t.ids.decode('template', res.body.id) ?? 0;
    };
    const sms = await post({ name: 'sms', body: 'Hi {name}', technology: 'sms' });
    const any = await post({ name: 'any', body: 'Your appointment: {shortlink:appointment}, or {shortlink:reschedule}', header: { type: 'text', text: '{shortlink:header}' } });
    assert.equal((await templateForSending(ctx, sms, 'sms')).id, sms);
    await assert.rejects(templateForSending(ctx, sms, 'whatsapp'), refusal('invalid', 'template'));
    // An any template saved before WhatsApp was integrated was never reviewed by WhatsApp.
    const anyTemplate = await templateForSending(ctx, any);
    assert.equal(templateUsableOn(anyTemplate, 'sms'), true);
    assert.equal(templateUsableOn(anyTemplate, 'instagram'), true);
    assert.equal(templateUsableOn(anyTemplate, 'whatsapp'), false);
    assert.deepEqual(dynamicShortlinks(anyTemplate), ['appointment', 'reschedule', 'header']);
    assert.throws(() => assertShortlinksGiven(anyTemplate, { appointment: 'https://x.com', header: 'https://x.com' }), refusal('invalid', 'template[shortlinks][reschedule]'));
    assertShortlinksGiven(anyTemplate, { appointment: 'https://x.com', reschedule: 'https://y.com', header: 'https://z.com' });

    await pauseTemplate(ctx, sms, 'Quality');
    await assert.rejects(templateForSending(ctx, sms, 'sms'), refusal('invalid', 'template'));
    await approveTemplate(ctx, sms);
    assert.equal((await getTemplate(ctx, sms)).state, 'approved');
    await api.delete(`/templates/${t.ids.encode('template', sms)}`);
    await assert.rejects(templateForSending(ctx, sms, 'sms'), refusal('not_found', 'template'));
    await assert.rejects(templateForSending(forBusiness(t.core, (await tenant(t)).businessId), any), refusal('not_found', 'template'));
  });
});
