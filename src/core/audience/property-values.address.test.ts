import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../shared/errors.js';
import { parsePropertyValue, renderPropertyValue, type AddressValue } from './property-values.js';

const options = { country: 'UY', parameter: 'address' };

function address(fields: Partial<Omit<AddressValue, 'street'>> & { street?: Partial<AddressValue['street']> }): AddressValue {
  const { street, ...rest } = fields;
  return {
    street: { name: street?.name ?? null, number: street?.number ?? null },
    postal_code: null,
    city: null,
    region: null,
    subregion: null,
    country: null,
    latitude: null,
    longitude: null,
    notes: null,
    ...rest,
  };
}

/** The spec's example, as a JSON client sends it back. */
const SPEC_EXAMPLE = {
  city: 'Montevideo',
  country: 'UY',
  latitude: '-0.349044168e2',
  longitude: '-0.561370421e2',
  notes: null,
  postal_code: '11300',
  region: 'Departamento de Montevideo',
  street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
  subregion: 'CH',
};

describe('address from an object', () => {
  const cases: [string, unknown, AddressValue][] = [
    [
      "the spec's example",
      SPEC_EXAMPLE,
      address({
        street: { name: 'Av. Luis Alberto de Herrera', number: '1248' },
        postal_code: '11300',
        city: 'Montevideo',
        region: 'Departamento de Montevideo',
        subregion: 'CH',
        country: 'UY',
        latitude: '-34.9044168',
        longitude: '-56.1370421',
      }),
    ],
    [
      'form fields: every leaf a string, blanks unknown',
      { street: { name: ' Keizersgracht ', number: '123' }, postal_code: '1015 CJ', city: 'Amsterdam', country: 'nl', latitude: '52.37', longitude: '', notes: '' },
      address({ street: { name: 'Keizersgracht', number: '123' }, postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL', latitude: '52.37' }),
    ],
    [
      'partial, JSON numbers, unknown keys ignored',
      { street: { number: 1248 }, postal_code: 11300, latitude: -34.9, longitude: -56.1, colour: 'blue' },
      address({ street: { number: '1248' }, postal_code: '11300', latitude: '-34.9', longitude: '-56.1' }),
    ],
    ['street as a string is its name', { street: 'Av. Brasil 2000' }, address({ street: { name: 'Av. Brasil 2000' } })],
    ['country by name', { city: 'Madrid', country: 'España' }, address({ city: 'Madrid', country: 'ES' })],
    ['an explicit object gets no default country', { city: 'Montevideo' }, address({ city: 'Montevideo' })],
  ];
  for (const [name, raw, value] of cases) test(name, () => assert.deepEqual(parsePropertyValue('address', raw, options).value, value));
});

describe('address from free text', () => {
  test('a plain string goes through the suggest parser with the business country', () => {
    const parsed = parsePropertyValue('address', 'Av. Luis Alberto de Herrera 1248, 11300 Montevideo', options);
    assert.deepEqual(
      parsed.value,
      address({ street: { name: 'Av. Luis Alberto de Herrera', number: '1248' }, postal_code: '11300', city: 'Montevideo', country: 'UY' }),
    );
  });

  test('{suggest} is parsed, and explicit keys beside it win', () => {
    const raw = { suggest: 'Keizersgracht 123, 1015 CJ Amsterdam', notes: 'Ring twice', city: 'Amsterdam-Centrum' };
    assert.deepEqual(
      parsePropertyValue('address', raw, options).value,
      address({ street: { name: 'Keizersgracht', number: '123' }, postal_code: '1015 CJ', city: 'Amsterdam-Centrum', country: 'NL', notes: 'Ring twice' }),
    );
  });
});

describe('address: refused input', () => {
  const cases: [unknown, RegExp][] = [
    [{ country: 'Narnia' }, /not a country/],
    [{ country: 'ZZ' }, /not a country/],
    [{ latitude: '91' }, /latitude must be a number between -90 and 90/],
    [{ longitude: 'east' }, /longitude must be a number between -180 and 180/],
    [{ city: ['Montevideo'] }, /city must be text/],
    [{ street: { name: { first: 'x' } } }, /street name must be text/],
    [{ suggest: 42 }, /suggest must be text/],
    [{ colour: 'blue' }, /No address field was recognised/],
    [{ suggest: ' , ' }, /No address field was recognised/],
    ['x'.repeat(10_001), /at most 10000/],
    [42, /Expected an address/],
    [[{ city: 'Montevideo' }], /Expected an address/],
  ];
  for (const [raw, message] of cases) {
    test(JSON.stringify(raw).slice(0, 50), () => {
      assert.throws(
        () => parsePropertyValue('address', raw, options),
        (error: unknown) => error instanceof DomainError && error.code === 'invalid' && error.parameter === 'address' && message.test(error.message),
      );
    });
  }
});

describe('address: search text and wire', () => {
  test('search text is canonical, case-insensitive JSON', () => {
    const a = parsePropertyValue('address', { city: 'MONTEVIDEO', street: { number: '1', name: 'Calle' } }, options).searchText;
    const b = parsePropertyValue('address', { street: { name: 'calle', number: 1 }, city: 'Montevideo' }, options).searchText;
    assert.equal(a, b);
    assert.match(a, /^\{"city":"montevideo","country":null,/);
  });

  test("the spec's example renders back exactly, coordinates in BigDecimal notation", () => {
    const stored = parsePropertyValue('address', SPEC_EXAMPLE, options).value;
    const wire = renderPropertyValue('address', stored);
    assert.equal(JSON.stringify(wire), JSON.stringify(SPEC_EXAMPLE));
  });

  test('BigDecimal notation of other coordinates', () => {
    const cases: [string, string][] = [
      ['0', '0.0'],
      ['5', '0.5e1'],
      ['0.05', '0.5e-1'],
      ['-180', '-0.18e3'],
      ['4.90', '0.49e1'],
      ['-0.349044168e2', '-0.349044168e2'],
    ];
    for (const [longitude, wire] of cases) {
      const stored = parsePropertyValue('address', { longitude }, options).value;
      assert.equal(renderPropertyValue('address', stored).longitude, wire, longitude);
    }
  });
});
