import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../shared/errors.js';
import {
  CONTACTABLE_KINDS,
  isEmptyPropertyInput,
  parsePropertyValue,
  phoneCountry,
  PROFILE_SCOPED_KINDS,
  PROPERTY_KINDS,
  propertyKind,
  renderPropertyValue,
  timezoneOfCountry,
  UNIQUE_INCAPABLE_KINDS,
  type PropertyKind,
} from './property-values.js';

const UY = { country: 'UY', parameter: 'value' };

/** Asserts a DomainError 'invalid' about `value` whose message matches. */
function assertInvalid(kind: PropertyKind, raw: unknown, message: RegExp, country = 'UY') {
  assert.throws(
    () => parsePropertyValue(kind, raw, { country, parameter: 'value' }),
    (error: unknown) => error instanceof DomainError && error.code === 'invalid' && error.parameter === 'value' && message.test(error.message),
    `${kind} ${JSON.stringify(raw)}`,
  );
}

describe('kinds', () => {
  test('lists the thirteen kinds and their groups', () => {
    assert.equal(PROPERTY_KINDS.length, 13);
    assert.deepEqual([...UNIQUE_INCAPABLE_KINDS].sort(), ['birthday', 'checkbox', 'date', 'gender', 'tags']);
    assert.deepEqual(CONTACTABLE_KINDS, ['phone', 'email', 'mercadolibre']);
    assert.deepEqual([...PROFILE_SCOPED_KINDS].sort(), ['address', 'email', 'phone']);
  });

  test('propertyKind accepts known kinds and refuses others', () => {
    assert.equal(propertyKind('tags', 'kind'), 'tags');
    assert.throws(() => propertyKind('list', 'kind'), (error: unknown) => error instanceof DomainError && error.parameter === 'kind');
  });
});

describe('valid values, JSON-typed and form-typed', () => {
  const cases: [PropertyKind, unknown, unknown, string][] = [
    ['checkbox', true, true, 'true'],
    ['checkbox', false, false, 'false'],
    ['checkbox', 'true', true, 'true'],
    ['checkbox', 'FALSE', false, 'false'],
    ['checkbox', '1', true, 'true'],
    ['checkbox', '0', false, 'false'],
    ['checkbox', 1, true, 'true'],
    ['checkbox', 'on', true, 'true'],
    ['checkbox', 'off', false, 'false'],
    ['checkbox', ' Yes ', true, 'true'],
    ['checkbox', 'no', false, 'false'],
    ['number', 29.99, 29.99, '29.99'],
    ['number', '29.99', 29.99, '29.99'],
    ['number', ' -3 ', -3, '-3'],
    ['number', '1e3', 1000, '1000'],
    ['number', '-0', 0, '0'],
    ['number', 0, 0, '0'],
    ['text', '  Long lasting customer ', 'Long lasting customer', 'long lasting customer'],
    ['text', 42, '42', '42'],
    ['company', 'ACME Corporation', 'ACME Corporation', 'acme corporation'],
    ['gender', 'Male', 'male', 'male'],
    ['gender', 'female', 'female', 'female'],
    ['gender', 'Non-binary', 'Non-binary', 'non-binary'],
    ['mercadolibre', 'WILLE900001', 'WILLE900001', 'wille900001'],
    ['url', ' https://www.hellotext.com ', 'https://www.hellotext.com', 'https://www.hellotext.com'],
    ['url', 'http://Example.com/Path?q=1', 'http://Example.com/Path?q=1', 'http://example.com/path?q=1'],
    ['email', ' Will.E@ACME.com ', 'will.e@acme.com', 'will.e@acme.com'],
    ['email', 'first+tag@mail.example.co.uk', 'first+tag@mail.example.co.uk', 'first+tag@mail.example.co.uk'],
    ['email', 'josé@correo.com.uy', 'josé@correo.com.uy', 'josé@correo.com.uy'],
    ['tags', ['tag1', 'tag2'], ['tag1', 'tag2'], '["tag1","tag2"]'],
    ['tags', 'tag2, tag1 ,,tag2', ['tag2', 'tag1'], '["tag1","tag2"]'],
    ['tags', [' VIP ', 'vip', '', 'Gold'], ['VIP', 'Gold'], '["gold","vip"]'],
    ['tags', 'solo', ['solo'], '["solo"]'],
  ];
  for (const [kind, raw, value, searchText] of cases) {
    test(`${kind} ${JSON.stringify(raw)}`, () => {
      assert.deepEqual(parsePropertyValue(kind, raw, UY), { value, searchText });
    });
  }
});

describe('invalid values', () => {
  const cases: [PropertyKind, unknown, RegExp][] = [
    ['checkbox', 'maybe', /true or false/],
    ['checkbox', 2, /true or false/],
    ['checkbox', ['true'], /true or false/],
    ['number', 'abc', /Expected a number/],
    ['number', '1,5', /Expected a number/],
    ['number', '0x10', /Expected a number/],
    ['number', 'Infinity', /Expected a number/],
    ['number', Number.NaN, /Expected a number/],
    ['number', true, /Expected a number/],
    ['text', { a: 1 }, /Expected text/],
    ['text', 'x'.repeat(10_001), /at most 10000/],
    ['company', 'x'.repeat(256), /at most 255/],
    ['company', ['ACME'], /Expected text/],
    ['gender', false, /Expected text/],
    ['mercadolibre', 'two words', /no spaces/],
    ['url', 'www.hellotext.com', /not a valid URL/],
    ['url', 'ftp://files.example.com', /Only http and https/],
    ['url', 'javascript:alert(1)', /Only http and https/],
    ['url', 'https://exa mple.com', /spaces/],
    ['email', 'will.e', /not a valid email/],
    ['email', 'will@acme', /not a valid email/],
    ['email', 'will@@acme.com', /not a valid email/],
    ['email', 'a@b@acme.com', /not a valid email/],
    ['email', 'will e@acme.com', /not a valid email/],
    ['email', '.will@acme.com', /not a valid email/],
    ['email', 'will..e@acme.com', /not a valid email/],
    ['email', 'will@-acme.com', /not a valid email/],
    ['email', 'will@acme.123', /not a valid email/],
    ['email', `${'a'.repeat(65)}@acme.com`, /not a valid email/],
    ['email', `a@${Array.from({ length: 4 }, () => 'b'.repeat(63)).join('.')}.com`, /not a valid email/],
    ['email', 42, /not a valid email/],
    ['tags', 42, /list of tags/],
    ['tags', [{ name: 'x' }], /Each tag must be text/],
    ['tags', ' , ', /at least one tag/],
    ['tags', ['x'.repeat(256)], /at most 255/],
  ];
  for (const [kind, raw, message] of cases) {
    test(`${kind} ${JSON.stringify(raw).slice(0, 40)}`, () => assertInvalid(kind, raw, message));
  }
});

describe('phone', () => {
  const cases: [string, string, string][] = [
    ['098 000 001', 'UY', '+59898000001'],
    ['098000001', 'UY', '+59898000001'],
    ['2 123 4567', 'UY', '+59821234567'],
    ['+598 98 000 001', 'NL', '+59898000001'],
    ['0059898000001', 'UY', '+59898000001'],
    ['06 12345678', 'NL', '+31612345678'],
    ['020 123 4567', 'NL', '+31201234567'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['201.555.0123', 'US', '+12015550123'],
    ['+1 201-555-0123', 'UY', '+12015550123'],
  ];
  for (const [raw, country, e164] of cases) {
    test(`${raw} in ${country} is ${e164}`, () => {
      assert.deepEqual(parsePropertyValue('phone', raw, { country, parameter: 'value' }), { value: e164, searchText: e164 });
    });
  }

  test('a number typed as a JSON number is read like text', () => {
    assert.equal(parsePropertyValue('phone', 98000001, UY).value, '+59898000001');
  });

  test('refuses invalid numbers', () => {
    assertInvalid('phone', '12345', /not a valid phone number/);
    assertInvalid('phone', '+59812', /not a valid phone number/);
    assertInvalid('phone', '555-0123', /not a valid phone number/, 'US');
    assertInvalid('phone', '+1 555 555 0123', /not a valid phone number/);
    assertInvalid('phone', 'call me', /not a valid phone number/);
    assertInvalid('phone', '098 000 001', /not a valid phone number/, 'NL');
    assertInvalid('phone', '098 000 001 ext 5', /extensions/);
    assertInvalid('phone', true, /Expected a phone number/);
  });

  test('without a known business country only international numbers are read', () => {
    assert.equal(parsePropertyValue('phone', '+59898000001', { country: 'ZZ', parameter: 'value' }).value, '+59898000001');
    assertInvalid('phone', '098 000 001', /not a valid phone number/, 'ZZ');
  });

  test('phoneCountry names the country of a valid E.164 number', () => {
    assert.equal(phoneCountry('+59898000001'), 'UY');
    assert.equal(phoneCountry('+31612345678'), 'NL');
    assert.equal(phoneCountry('+12015550123'), 'US');
    assert.equal(phoneCountry('+5491123456789'), 'AR');
    assert.equal(phoneCountry('+59812'), undefined);
    assert.equal(phoneCountry('not a phone'), undefined);
  });
});

describe('timezoneOfCountry', () => {
  const cases: [string, string | undefined][] = [
    ['UY', 'America/Montevideo'],
    ['NL', 'Europe/Amsterdam'],
    ['US', 'America/New_York'],
    ['BR', 'America/Sao_Paulo'],
    ['AR', 'America/Argentina/Buenos_Aires'],
    ['GB', 'Europe/London'],
    ['ES', 'Europe/Madrid'],
    ['se', 'Europe/Stockholm'],
    ['IN', 'Asia/Kolkata'],
    ['ZZ', undefined],
    ['', undefined],
  ];
  for (const [country, zone] of cases) {
    test(`${country || '(blank)'} → ${zone ?? 'none'}`, () => {
      assert.equal(timezoneOfCountry(country), zone);
      if (zone !== undefined) assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: zone }));
    });
  }
});

describe('isEmptyPropertyInput', () => {
  const empty: unknown[] = [undefined, null, '', '   ', {}, [], [''], ['  ', null], { suggest: '' }, { day: '', month: null }];
  const notEmpty: unknown[] = [false, 0, 'x', ['a'], { day: 3 }, { foo: 'bar' }, { street: { name: 'Calle' } }];
  for (const raw of empty) test(`${JSON.stringify(raw)} is empty`, () => assert.equal(isEmptyPropertyInput(raw), true));
  for (const raw of notEmpty) test(`${JSON.stringify(raw)} is a value`, () => assert.equal(isEmptyPropertyInput(raw), false));

  test('an address whose fields are all blank is empty', () => {
    const blank = { street: { name: ' ', number: '' }, postal_code: '', city: null, country: '', latitude: '', notes: null };
    assert.equal(isEmptyPropertyInput(blank), true);
  });
});

describe('renderPropertyValue', () => {
  test('is the identity for the non-structured kinds, as in the spec', () => {
    assert.equal(renderPropertyValue('checkbox', false), false);
    assert.equal(renderPropertyValue('number', 29.99), 29.99);
    assert.equal(renderPropertyValue('phone', '+59898000001'), '+59898000001');
    assert.equal(renderPropertyValue('url', 'https://www.hellotext.com'), 'https://www.hellotext.com');
    assert.deepEqual(renderPropertyValue('tags', ['tag1', 'tag2']), ['tag1', 'tag2']);
    assert.deepEqual(renderPropertyValue('birthday', { day: 3, month: 11, year: 1985 }), { day: 3, month: 11, year: 1985 });
  });

  test('renders any kind through one signature', () => {
    const stored: { kind: PropertyKind; value: string | boolean } = { kind: 'text', value: 'Long lasting customer' };
    assert.equal(renderPropertyValue(stored.kind, stored.value), 'Long lasting customer');
  });
});
