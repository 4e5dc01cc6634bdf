import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { suggestAddress } from './address-suggest.js';
import type { AddressValue } from './property-values.address.js';

interface Expected {
  street?: [string | null, string | null];
  postal_code?: string;
  city?: string;
  region?: string;
  subregion?: string;
  country?: string;
  notes?: string;
}

function expected(fields: Expected): AddressValue {
  return {
    street: { name: fields.street?.[0] ?? null, number: fields.street?.[1] ?? null },
    postal_code: fields.postal_code ?? null,
    city: fields.city ?? null,
    region: fields.region ?? null,
    subregion: fields.subregion ?? null,
    country: fields.country ?? null,
    latitude: null,
    longitude: null,
    notes: fields.notes ?? null,
  };
}

const cases: [text: string, defaultCountry: string | undefined, fields: Expected][] = [
  // Continental style: number after the name, postal code before the city.
  ['Av. Luis Alberto de Herrera 1248, 11300 Montevideo, Uruguay', undefined, { street: ['Av. Luis Alberto de Herrera', '1248'], postal_code: '11300', city: 'Montevideo', country: 'UY' }],
  ['Keizersgracht 123, 1015 CJ Amsterdam', undefined, { street: ['Keizersgracht', '123'], postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL' }],
  ['Keizersgracht 123 1015 CJ Amsterdam', undefined, { street: ['Keizersgracht', '123'], postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL' }],
  ['Herengracht 12-14, Amsterdam, NL', undefined, { street: ['Herengracht', '12-14'], city: 'Amsterdam', country: 'NL' }],
  ['Calle Mayor 5, 28013 Madrid, España', undefined, { street: ['Calle Mayor', '5'], postal_code: '28013', city: 'Madrid', country: 'ES' }],
  ['Hauptstraße 5, 10115 Berlin, Deutschland', undefined, { street: ['Hauptstraße', '5'], postal_code: '10115', city: 'Berlin', country: 'DE' }],
  ['Rua Augusta 100, 1100-053 Lisboa, Portugal', undefined, { street: ['Rua Augusta', '100'], postal_code: '1100-053', city: 'Lisboa', country: 'PT' }],
  ['Rua Augusta, 100, 01305000 São Paulo, Brasil', undefined, { street: ['Rua Augusta', '100'], postal_code: '01305-000', city: 'São Paulo', country: 'BR' }],
  ['Av. Corrientes 1234, C1043AAZ CABA, Argentina', undefined, { street: ['Av. Corrientes', '1234'], postal_code: 'C1043AAZ', city: 'CABA', country: 'AR' }],
  ['Florida 100, C1005 Buenos Aires, AR', undefined, { street: ['Florida', '100'], postal_code: 'C1005', city: 'Buenos Aires', country: 'AR' }],
  ['Av. 18 de Julio 1248B, Montevideo', 'UY', { street: ['Av. 18 de Julio', '1248B'], city: 'Montevideo', country: 'UY' }],
  ['Calle Mayor nº 7, Madrid', 'ES', { street: ['Calle Mayor', '7'], city: 'Madrid', country: 'ES' }],
  [
    'Paseo de la Reforma 222, Juárez, 06600 Ciudad de México, CDMX, México',
    undefined,
    { street: ['Paseo de la Reforma', '222'], subregion: 'Juárez', postal_code: '06600', city: 'Ciudad de México', region: 'CDMX', country: 'MX' },
  ],
  [
    'Rambla Rep. de México 5565, Piso 3, Montevideo, Departamento de Montevideo, UY',
    undefined,
    { street: ['Rambla Rep. de México', '5565'], city: 'Montevideo', region: 'Departamento de Montevideo', country: 'UY', notes: 'Piso 3' },
  ],
  // Number first (US, UK, Canada, Australia, France), state abbreviations as regions.
  ['1600 Amphitheatre Parkway, Mountain View, CA 94043, USA', undefined, { street: ['Amphitheatre Parkway', '1600'], postal_code: '94043', city: 'Mountain View', region: 'CA', country: 'US' }],
  ['1 Infinite Loop, Cupertino, CA 95014-2083, US', undefined, { street: ['Infinite Loop', '1'], postal_code: '95014-2083', city: 'Cupertino', region: 'CA', country: 'US' }],
  ['350 Fifth Avenue, New York, NY 10118', undefined, { street: ['Fifth Avenue', '350'], postal_code: '10118', city: 'New York', region: 'NY', country: 'US' }],
  ['12345 Main St, Springfield IL 62701', 'UY', { street: ['Main St', '12345'], postal_code: '62701', city: 'Springfield', region: 'IL', country: 'US' }],
  ['10 Downing Street, London SW1A 2AA, United Kingdom', undefined, { street: ['Downing Street', '10'], postal_code: 'SW1A 2AA', city: 'London', country: 'GB' }],
  ['Apt 4B, 221B Baker Street, London NW1 6XE', undefined, { street: ['Baker Street', '221B'], postal_code: 'NW1 6XE', city: 'London', country: 'GB', notes: 'Apt 4B' }],
  ['290 Bremner Blvd, Toronto, ON M5V 3L9, Canada', undefined, { street: ['Bremner Blvd', '290'], postal_code: 'M5V 3L9', city: 'Toronto', region: 'ON', country: 'CA' }],
  ['1 Macquarie Street, Sydney NSW 2000, Australia', undefined, { street: ['Macquarie Street', '1'], postal_code: '2000', city: 'Sydney', region: 'NSW', country: 'AU' }],
  ['10 Rue de Rivoli, 75001 Paris, France', undefined, { street: ['Rue de Rivoli', '10'], postal_code: '75001', city: 'Paris', country: 'FR' }],
  // Countries: codes versus state abbreviations, defaults.
  ['San Francisco, CA', 'US', { city: 'San Francisco', region: 'CA', country: 'US' }],
  ['San Francisco, CA', undefined, { city: 'San Francisco', country: 'CA' }],
  ['Montevideo', 'uy', { city: 'Montevideo', country: 'UY' }],
  ['Montevideo, Uruguay', 'NL', { city: 'Montevideo', country: 'UY' }],
  ['Amsterdam, The Netherlands', undefined, { city: 'Amsterdam', country: 'NL' }],
  ['Uruguay', undefined, { country: 'UY' }],
  ['Rotterdam', 'ZZ', { city: 'Rotterdam' }],
  // Left-overs are kept in notes.
  ['ACME Corp, Keizersgracht 123, Amsterdam, Noord-Holland, Europe', 'NL', { street: ['Keizersgracht', '123'], city: 'Amsterdam', region: 'Noord-Holland', country: 'NL', notes: 'ACME Corp, Europe' }],
];

describe('suggestAddress', () => {
  for (const [text, country, fields] of cases) {
    test(`${text}${country ? ` (default ${country})` : ''}`, () => {
      assert.deepEqual(suggestAddress(text, { country }), expected(fields));
    });
  }
});

describe('suggestAddress with garbage and empty input', () => {
  const garbage: [string, Expected][] = [
    ['', {}],
    ['   ', {}],
    [' , ;\n, ', {}],
    ['???', { notes: '???' }],
    ['12, 34', { notes: '12, 34' }],
    ['!!!, ###', { notes: '!!!, ###' }],
  ];
  for (const [text, fields] of garbage) {
    test(JSON.stringify(text), () => assert.deepEqual(suggestAddress(text, { country: 'UY' }), expected(fields)));
  }

  test('is deterministic', () => {
    const text = '1600 Amphitheatre Parkway, Mountain View, CA 94043, USA';
    assert.deepEqual(suggestAddress(text, {}), suggestAddress(text, {}));
  });
});
