import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../shared/errors.js';
import { dynamicShortlinkNames, hellotextEngine, parseHellotextTags } from './hellotext-tags.js';
import { addressText, dateText, propertyText, textLocale } from './property-text.js';
import type { RenderContext } from './template-engine.js';

const vocabulary = { has: (name: string) => ['name', 'email', 'passport', 'favourite colour'].includes(name) };
const engine = hellotextEngine({ vocabulary });

/** A context with these values and a shortener that numbers its links and remembers what it shortened. */
function context(values: Record<string, string> = {}, shortlinks: Record<string, string> = {}): RenderContext & { shortened: string[] } {
  const shortened: string[] = [];
  return {
    shortened,
    value: (name) => values[name],
    shortlink: async (destination) => {
      shortened.push(destination);
      return `https://hh.test/s/${shortened.length}`;
    },
    shortlinks,
  };
}

describe('Hellotext tags', () => {
  test('parsing: property tags (trimmed, lower-cased), static and dynamic short links, text around them', () => {
    assert.deepEqual(parseHellotextTags('Hi { Name }, see {shortlink:https://shop.com/a?b=1} or {SHORTLINK: appointment}!'), [
      { kind: 'text', text: 'Hi ' },
      { kind: 'property', raw: '{ Name }', name: 'name' },
      { kind: 'text', text: ', see ' },
      { kind: 'shortlink', raw: '{shortlink:https://shop.com/a?b=1}', url: 'https://shop.com/a?b=1' },
      { kind: 'text', text: ' or ' },
      { kind: 'dynamic_shortlink', raw: '{SHORTLINK: appointment}', name: 'appointment' },
      { kind: 'text', text: '!' },
    ]);
    assert.deepEqual(parseHellotextTags('{} and { } and } then {'), [{ kind: 'text', text: '{} and { } and } then {' }]);
    assert.deepEqual(parseHellotextTags(''), []);
    assert.deepEqual(parseHellotextTags('{{name}}'), [
      { kind: 'text', text: '{' },
      { kind: 'property', raw: '{name}', name: 'name' },
      { kind: 'text', text: '}' },
    ]);
  });

  test('check: unknown property tags and malformed short links, each once, naming the tag', () => {
    assert.deepEqual(engine.check('Hello {NAME}, {Passport} {favourite colour} {shortlink:https://x.com} {shortlink:offer}'), []);
    const problems = engine.check('{nickname} {nickname} {shortlink:} {shortlink:www.shop.com} {shortlink:ftp://x.com} {shortlink:a b}');
    assert.deepEqual(
      problems.map((problem) => problem.tag),
      ['{nickname}', '{shortlink:}', '{shortlink:www.shop.com}', '{shortlink:ftp://x.com}', '{shortlink:a b}'],
    );
    assert.match(problems[0]?.message ?? '', /\{nickname\}/);
  });

  test('render: values by tag, missing values empty, malformed tags as written', async () => {
    const rendered = await engine.render('Hello {Name}, we wrote to {email}. {unknown}{shortlink:}', context({ name: 'Will' }));
    assert.equal(rendered, 'Hello Will, we wrote to . {shortlink:}');
  });

  test('render: each short link destination is shortened once per message, in reading order', async () => {
    const ctx = context({}, { appointment: ' https://example.com/appointments/1 ', reschedule: 'https://example.com/appointments/1/edit' });
    const rendered = await engine.render('{shortlink:https://shop.com} {shortlink:appointment} {shortlink:reschedule} {shortlink:https://shop.com}', ctx);
    assert.equal(rendered, 'https://hh.test/s/1 https://hh.test/s/2 https://hh.test/s/3 https://hh.test/s/1');
    assert.deepEqual(ctx.shortened, ['https://shop.com', 'https://example.com/appointments/1', 'https://example.com/appointments/1/edit']);
  });

  test('render: a dynamic short link without its URL, or with no URL, is invalid before any link is made', async () => {
    const cases: Array<Record<string, string>> = [{}, { appointment: '' }, { appointment: 'not a url' }, { Appointment: 'https://x.com' }];
    for (const shortlinks of cases) {
      const ctx = context({}, shortlinks);
      await assert.rejects(engine.render('{shortlink:https://shop.com} {shortlink:appointment}', ctx), (error) => {
        assert.ok(error instanceof DomainError);
        assert.deepEqual([error.code, error.parameter], ['invalid', 'template[shortlinks][appointment]']);
        return true;
      });
      assert.deepEqual(ctx.shortened, []);
    }
    // Inherited keys are no URLs.
    await assert.rejects(engine.render('{shortlink:toString}', context()), DomainError);
  });

  test('an escape function applies to inserted values only (newsletter HTML)', async () => {
    const html = hellotextEngine({ vocabulary, escape: (value) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;') });
    assert.equal(await html.render('<b>{name}</b>', context({ name: 'Tom & <Jerry>' })), '<b>Tom &amp; &lt;Jerry></b>');
  });

  test('dynamic short link names, each once, in order', () => {
    assert.deepEqual(dynamicShortlinkNames('{shortlink:b} {shortlink:https://x.com} {shortlink:a} {shortlink:b}'), ['b', 'a']);
    assert.deepEqual(dynamicShortlinkNames('no links'), []);
  });
});

describe('property values as text', () => {
  test('dates and birthdays in the reader language, partial ones too', () => {
    assert.equal(dateText({ day: 3, month: 11, year: 1985 }, 'en'), 'November 3, 1985');
    assert.equal(dateText({ day: 3, month: 11, year: null }, 'en'), 'November 3');
    assert.equal(dateText({ day: null, month: 11, year: 1985 }, 'en'), 'November 1985');
    assert.equal(dateText({ day: null, month: null, year: 1985 }, 'en'), '1985');
    assert.equal(dateText({ day: 29, month: 2, year: null }, 'en'), 'February 29');
    assert.equal(dateText({ day: 3, month: 11, year: 1985 }, 'es'), '3 de noviembre de 1985');
  });

  test('locales: the profile language when known, else English', () => {
    assert.equal(textLocale('es'), 'es');
    assert.equal(textLocale('pt_BR'), 'pt-BR');
    assert.equal(textLocale(null), 'en');
    assert.equal(textLocale('not a language!'), 'en');
  });

  test('addresses, checkboxes, tags, numbers', () => {
    const address = {
      street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
      postal_code: '11300',
      city: 'Montevideo',
      region: 'Departamento de Montevideo',
      subregion: null,
      country: 'UY',
      latitude: '-34.9',
      longitude: '-56.1',
      notes: null,
    };
    assert.equal(addressText(address), 'Av. Luis Alberto de Herrera 1248, 11300 Montevideo, Departamento de Montevideo, UY');
    assert.equal(propertyText('address', address, 'en'), addressText(address));
    assert.equal(propertyText('checkbox', true, 'en'), 'yes');
    assert.equal(propertyText('checkbox', false, 'en'), 'no');
    assert.equal(propertyText('tags', ['vip', 'early'], 'en'), 'vip, early');
    assert.equal(propertyText('number', 2.5, 'en'), '2.5');
    assert.equal(propertyText('text', 'AB123', 'en'), 'AB123');
  });
});
