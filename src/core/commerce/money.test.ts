import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../shared/errors.js';
import { amountNumber, formatAmount, minorUnits, parseAmount, parseCurrency, parseMoney, times } from './money.js';

/** Asserts a DomainError with this code about this parameter. */
function refused(work: () => unknown, code: string, parameter: string): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.parameter, parameter);
    return true;
  });
}

describe('parseAmount', () => {
  test('numbers and decimal strings become exact e4 integers', () => {
    const cases: Array<[unknown, number]> = [
      ['19.90', 199_000],
      [19.9, 199_000],
      ['0', 0],
      [0, 0],
      ['  7 ', 70_000],
      ['.5', 5_000],
      ['5.', 50_000],
      ['1234.5678', 12_345_678],
      ['1e3', 10_000_000],
      ['2.5E-2', 250],
      [0.1 + 0.2, 3_000],
      ['-1.5', -15_000],
      [-19.99, -199_900],
      ['99999999999.9999', 999_999_999_999_999],
      ['100000000000', 1_000_000_000_000_000],
      ['-100000000000', -1_000_000_000_000_000],
    ];
    for (const [value, e4] of cases) assert.equal(parseAmount(value, 'amount'), e4, String(value));
  });

  test('a fifth decimal rounds half away from zero, on the digits as written', () => {
    assert.equal(parseAmount('1.00005', 'amount'), 10_001);
    assert.equal(parseAmount('1.00004999', 'amount'), 10_000);
    assert.equal(parseAmount('-1.00005', 'amount'), -10_001, 'a negative amount rounds to the opposite of its positive');
    // 600.60935 × 10⁴ is 6006093.4999… in binary floating point.
    assert.equal(parseAmount('600.60935', 'amount'), 6_006_094);
    assert.equal(parseAmount('46595963.41135', 'amount'), 465_959_634_114);
    assert.equal(parseAmount('8.675309', 'amount'), 86_753);
  });

  test('tiny negative amounts are 0, never -0', () => {
    assert.ok(Object.is(parseAmount('-0.00004', 'amount'), 0));
    assert.ok(Object.is(parseAmount('-0', 'amount'), 0));
    assert.ok(Object.is(parseAmount('-1e-9', 'amount'), 0));
    assert.equal(parseAmount('-0.00005', 'amount'), -1);
  });

  test('anything but a decimal is invalid, naming the parameter', () => {
    for (const bad of ['', ' ', 'abc', '1,50', '1.5.0', '0x10', '$5', '5 USD', 'Infinity', 'NaN', '1e', '--1', '+-1', true, null, undefined, {}, [1], Number.NaN, Number.POSITIVE_INFINITY]) {
      refused(() => parseAmount(bad, 'price'), 'invalid', 'price');
    }
  });

  test('bounds: at most 100 000 000 000 either way', () => {
    refused(() => parseAmount('100000000000.0001', 'amount'), 'invalid', 'amount');
    refused(() => parseAmount('-100000000001', 'amount'), 'invalid', 'amount');
    refused(() => parseAmount(1e21, 'amount'), 'invalid', 'amount');
    refused(() => parseAmount('1e400', 'amount'), 'invalid', 'amount');
    assert.ok(Number.isSafeInteger(parseAmount('100000000000', 'amount') * 9), 'room for sums of several maximal amounts');
  });
});

describe('parseCurrency and parseMoney', () => {
  test('ISO 4217 codes in any case, upper-cased', () => {
    assert.equal(parseCurrency('usd', 'currency'), 'USD');
    assert.equal(parseCurrency(' Eur ', 'currency'), 'EUR');
    for (const bad of ['US', 'USDX', 'XYZ', '', 12, null]) refused(() => parseCurrency(bad, 'currency'), 'invalid', 'currency');
  });

  test('an amount alone is in USD; amount and currency together; nothing is undefined', () => {
    assert.deepEqual(parseMoney('199.95', undefined), { e4: 1_999_500, currency: 'USD' });
    assert.deepEqual(parseMoney(1500, 'jpy'), { e4: 15_000_000, currency: 'JPY' });
    assert.deepEqual(parseMoney('12', ''), { e4: 120_000, currency: 'USD' }, 'an empty form value is no currency');
    assert.equal(parseMoney(undefined, undefined), undefined);
    assert.equal(parseMoney('', null), undefined);
  });

  test('a currency without an amount is missing the amount, under the caller’s parameter names', () => {
    refused(() => parseMoney(undefined, 'EUR'), 'missing', 'amount');
    refused(() => parseMoney('', 'EUR'), 'missing', 'amount');
    refused(() => parseMoney(null, 'EUR', { amount: 'price', currency: 'price_currency' }), 'missing', 'price');
    refused(() => parseMoney('1', 'EURO', { amount: 'price', currency: 'price_currency' }), 'invalid', 'price_currency');
    refused(() => parseMoney('one', 'EUR'), 'invalid', 'amount');
  });
});

describe('formatAmount', () => {
  test('minor units: USD 2, JPY 0, KWD 3', () => {
    assert.deepEqual([minorUnits('USD'), minorUnits('JPY'), minorUnits('KWD'), minorUnits('EUR')], [2, 0, 3, 2]);
    assert.equal(formatAmount(1_999_500, 'USD'), '199.95');
    assert.equal(formatAmount(10_000, 'USD'), '1.00');
    assert.equal(formatAmount(0, 'USD'), '0.00');
    assert.equal(formatAmount(15_000_000, 'JPY'), '1500');
    assert.equal(formatAmount(12_345, 'KWD'), '1.235');
    assert.equal(formatAmount(12_345_678, 'KWD'), '1234.568');
    assert.equal(formatAmount(500, 'USD'), '0.05');
    assert.equal(formatAmount(1_000_000_000_000_000, 'USD'), '100000000000.00');
  });

  test('rounds half away from zero, so negatives mirror positives', () => {
    assert.equal(formatAmount(12_350, 'USD'), '1.24');
    assert.equal(formatAmount(-12_350, 'USD'), '-1.24');
    assert.equal(formatAmount(12_349, 'USD'), '1.23');
    assert.equal(formatAmount(-12_349, 'USD'), '-1.23');
    assert.equal(formatAmount(15_005_000, 'JPY'), '1501');
    assert.equal(formatAmount(-15_005_000, 'JPY'), '-1501');
    assert.equal(formatAmount(-15_004_999, 'JPY'), '-1500');
    assert.equal(formatAmount(5, 'KWD'), '0.001');
    assert.equal(formatAmount(-5, 'KWD'), '-0.001');
    assert.equal(formatAmount(-1_999_500, 'USD'), '-199.95');
  });

  test('what rounds to zero shows no sign', () => {
    assert.equal(formatAmount(-10, 'USD'), '0.00');
    assert.equal(formatAmount(-4_999, 'JPY'), '0');
    assert.equal(formatAmount(-4, 'KWD'), '0.000');
  });

  test('amountNumber and times', () => {
    assert.equal(amountNumber(1_999_500), 199.95);
    assert.equal(amountNumber(-5), -0.0005);
    assert.equal(times(1_999_500, 3), 5_998_500);
    assert.equal(times(10_001, 0.5), 5_001);
  });
});
