import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../shared/errors.js';
import { parsePropertyValue, type DateValue } from './property-values.js';

const options = { country: 'UY', parameter: 'birthday' };
const date = (day: number | null, month: number | null, year: number | null): DateValue => ({ day, month, year });

describe('birthday and date: accepted input', () => {
  const cases: [unknown, DateValue][] = [
    [{ day: 3, month: 11, year: 1985 }, date(3, 11, 1985)],
    [{ day: '3', month: '11', year: '1985' }, date(3, 11, 1985)],
    [{ day: ' 03 ', month: '11', year: '' }, date(3, 11, null)],
    [{ year: 1985 }, date(null, null, 1985)],
    [{ day: 29, month: 2 }, date(29, 2, null)],
    [{ day: 29, month: 2, year: 2000 }, date(29, 2, 2000)],
    [{ month: 11, extra: 'ignored' }, date(null, 11, null)],
    [{ day: 31 }, date(31, null, null)],
    ['1985-11-03', date(3, 11, 1985)],
    [' 1985-1-3 ', date(3, 1, 1985)],
    ['1985-11', date(null, 11, 1985)],
    ['11-03', date(3, 11, null)],
    ['--11-03', date(3, 11, null)],
    ['1985', date(null, null, 1985)],
  ];
  for (const [raw, value] of cases) {
    test(JSON.stringify(raw), () => {
      for (const kind of ['birthday', 'date'] as const) assert.deepEqual(parsePropertyValue(kind, raw, options).value, value);
    });
  }

  test('search text is canonical JSON with sorted keys', () => {
    assert.equal(parsePropertyValue('birthday', { year: 1985, month: 11, day: 3 }, options).searchText, '{"day":3,"month":11,"year":1985}');
    assert.equal(parsePropertyValue('date', '11-03', options).searchText, '{"day":3,"month":11,"year":null}');
  });

  test('a date may lie outside a birthday year range', () => {
    assert.deepEqual(parsePropertyValue('date', '1850-05-01', options).value, date(1, 5, 1850));
    assert.deepEqual(parsePropertyValue('date', { year: 2500 }, options).value, date(null, null, 2500));
  });
});

describe('birthday and date: refused input', () => {
  const cases: [unknown, RegExp][] = [
    [{ day: 31, month: 2, year: 1985 }, /February 1985 has no day 31/],
    [{ day: 30, month: 2 }, /February has no day 30/],
    ['1985-02-29', /February 1985 has no day 29/],
    ['1985-04-31', /April 1985 has no day 31/],
    [{ day: 0, month: 1 }, /day must be between 1 and 31/],
    [{ day: 32 }, /day must be between 1 and 31/],
    [{ month: 13 }, /month must be between 1 and 12/],
    ['1985-00-10', /month must be between 1 and 12/],
    [{ day: 1.5 }, /day must be a whole number/],
    [{ month: 'March' }, /month must be a whole number/],
    [{ year: -1985 }, /year must be between/],
    [{ day: null, month: '', year: undefined }, /at least a day, a month or a year/],
    ['03/11/1985', /use YYYY-MM-DD/],
    ['1985-11-03T10:00:00Z', /use YYYY-MM-DD/],
    ['yesterday', /use YYYY-MM-DD/],
    [19851103, /Expected a date/],
    [['1985-11-03'], /Expected a date/],
  ];
  for (const [raw, message] of cases) {
    test(JSON.stringify(raw), () => {
      assert.throws(
        () => parsePropertyValue('date', raw, options),
        (error: unknown) => error instanceof DomainError && error.code === 'invalid' && error.parameter === 'birthday' && message.test(error.message),
      );
    });
  }

  test('a birthday year lies between 1900 and 2100', () => {
    for (const raw of [{ year: 1899 }, '2101-01-01', '0985']) {
      assert.throws(() => parsePropertyValue('birthday', raw, options), /between 1900 and 2100/);
    }
    assert.deepEqual(parsePropertyValue('birthday', { year: 1900 }, options).value, date(null, null, 1900));
  });

  test('a date year has four digits', () => {
    assert.throws(() => parsePropertyValue('date', { year: 999 }, options), /between 1000 and 9999/);
  });
});
