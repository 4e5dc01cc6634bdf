import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testCore, type TestCore } from '../../../test/support/context.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { DEFAULT_RATES } from './default-rates.js';
import { converter, importRates, listRates, parseRatesFile } from './exchange-rates.service.js';

const TODAY = '2026-01-15';

/** The ECB's daily file, abridged. */
const ECB_DAILY = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time='2026-01-14'>
      <Cube currency='USD' rate='1.0850'/>
      <Cube currency='JPY' rate='160.5'/>
      <Cube currency='GBP' rate='0.8421'/>
    </Cube>
  </Cube>
</gesmes:Envelope>`;

function refused(work: () => unknown, pattern: RegExp): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.parameter, 'file');
    assert.match(error.message, pattern);
    return true;
  });
}

const byCurrency = (rows: ReadonlyArray<{ currency: string; per_eur: number; as_of: string }>) => Object.fromEntries(rows.map((row) => [row.currency, [row.per_eur, row.as_of]]));

describe('parseRatesFile', () => {
  test('the ECB daily XML: every currency at the file’s date, plus EUR at 1', () => {
    assert.deepEqual(byCurrency(parseRatesFile(ECB_DAILY, TODAY)), {
      USD: [1.085, '2026-01-14'],
      JPY: [160.5, '2026-01-14'],
      GBP: [0.8421, '2026-01-14'],
      EUR: [1, '2026-01-14'],
    });
  });

  test('an ECB history file (many days, newest first) gives the newest day only', () => {
    const history = ECB_DAILY.replace(
      '</Cube>\n  </Cube>',
      `</Cube>\n    <Cube time="2026-01-13"><Cube currency="USD" rate="1.0700"/><Cube currency="CHF" rate="0.93"/></Cube>\n  </Cube>`,
    );
    assert.deepEqual(byCurrency(parseRatesFile(history, TODAY)), {
      USD: [1.085, '2026-01-14'],
      JPY: [160.5, '2026-01-14'],
      GBP: [0.8421, '2026-01-14'],
      EUR: [1, '2026-01-14'],
    });
  });

  test('CSV: currency,rate[,date], a header line skipped, blank lines ignored, codes in any case', () => {
    const csv = 'currency,units_per_euro,date\r\nusd,1.09,2026-01-10\n\nJPY, 161.2 \nEUR,1\n';
    assert.deepEqual(byCurrency(parseRatesFile(csv, TODAY)), {
      USD: [1.09, '2026-01-10'],
      JPY: [161.2, TODAY],
      EUR: [1, TODAY],
    });
    assert.deepEqual(byCurrency(parseRatesFile('GBP,0.85', TODAY)), { GBP: [0.85, TODAY], EUR: [1, TODAY] }, 'no header');
  });

  test('bad files are refused, naming the line', () => {
    refused(() => parseRatesFile('', TODAY), /no rates/);
    refused(() => parseRatesFile('currency,rate\n', TODAY), /no rates/);
    refused(() => parseRatesFile('<Cube></Cube>', TODAY), /no rates/);
    refused(() => parseRatesFile('USD,1.09\nXYZ,2', TODAY), /line 2: "XYZ" is not an ISO 4217 code/);
    refused(() => parseRatesFile('USD,0', TODAY), /line 1: the rate of USD must be a positive number/);
    refused(() => parseRatesFile('USD,-1', TODAY), /positive/);
    refused(() => parseRatesFile('GBP,0.85\nUSD,abc', TODAY), /line 2: the rate of USD/);
    refused(() => parseRatesFile('GBP,0.85\nUSD', TODAY), /line 2: expected currency,rate\[,date\]/);
    refused(() => parseRatesFile('USD,1,2026-01-01,extra', TODAY), /expected currency,rate/);
    refused(() => parseRatesFile('USD,1.09,14/01/2026', TODAY), /not a date/);
    refused(() => parseRatesFile('EUR,1.1', TODAY), /rate of EUR is 1/);
    refused(() => parseRatesFile(ECB_DAILY.replace("rate='160.5'", "rate='n/a'"), TODAY), /XML: the rate of JPY/);
  });
});

/** A clock the test moves, to see the per-process cache expire. */
class TestClock implements Clock {
  ms = Date.UTC(2026, 0, 15, 12);
  now(): number {
    return this.ms;
  }
}

describe('converter and importRates', () => {
  let core: TestCore;
  const clock = new TestClock();
  before(async () => {
    // Imports replace the installation's rates: a database of its own on PostgreSQL.
    core = await testCore({ clock, ownDatabase: true });
  });
  after(() => core.dispose());

  test('converts through the euro with the default rates; unknown currencies give null', async () => {
    const convert = await converter(core);
    const usd = DEFAULT_RATES.rates.USD;
    const jpy = DEFAULT_RATES.rates.JPY;
    assert.equal(convert({ e4: 1_999_500, currency: 'USD' }, 'USD'), 1_999_500, 'same currency: unchanged');
    assert.equal(convert({ e4: 1_000_000, currency: 'EUR' }, 'USD'), Math.round(1_000_000 * usd));
    assert.equal(convert({ e4: 1_000_000, currency: 'USD' }, 'EUR'), Math.round(1_000_000 / usd));
    assert.equal(convert({ e4: 1_000_000, currency: 'USD' }, 'JPY'), Math.round((1_000_000 / usd) * jpy));
    assert.equal(convert({ e4: -1_000_000, currency: 'EUR' }, 'USD'), Math.round(-1_000_000 * usd));
    assert.equal(convert({ e4: 1_000_000, currency: 'XAF' }, 'EUR'), null, 'no rate for the source');
    assert.equal(convert({ e4: 1_000_000, currency: 'EUR' }, 'XAF'), null, 'no rate for the target');
    assert.equal(convert({ e4: 1_000_000, currency: 'XAF' }, 'XAF'), 1_000_000, 'same currency needs no rate');
    assert.deepEqual(byCurrency(await listRates(core)).USD, [usd, DEFAULT_RATES.asOf]);
  });

  test('an import replaces every rate and is used at once by this process', async () => {
    assert.equal(await importRates(core, ECB_DAILY), 4);
    assert.deepEqual(byCurrency(await listRates(core)), {
      EUR: [1, '2026-01-14'],
      GBP: [0.8421, '2026-01-14'],
      JPY: [160.5, '2026-01-14'],
      USD: [1.085, '2026-01-14'],
    });
    const convert = await converter(core);
    assert.equal(convert({ e4: 1_000_000, currency: 'EUR' }, 'USD'), 1_085_000);
    assert.equal(convert({ e4: 1_000_000, currency: 'EUR' }, 'CHF'), null, 'currencies not in the file are gone');

    await assert.rejects(importRates(core, 'USD,nope'), DomainError);
    assert.equal((await listRates(core)).length, 4, 'a refused file changes nothing');

    assert.equal(await importRates(core, 'USD,1.10'), 2);
    assert.deepEqual(byCurrency(await listRates(core)), { EUR: [1, '2026-01-15'], USD: [1.1, '2026-01-15'] }, "a CSV without dates is as of the clock's day");
    assert.equal((await converter(core))({ e4: 1_000_000, currency: 'EUR' }, 'USD'), 1_100_000);
  });

  test('rates written by another process are seen within a minute', async () => {
    await importRates(core, 'USD,1.20');
    assert.equal((await converter(core))({ e4: 10_000, currency: 'EUR' }, 'USD'), 12_000);
    await core.db.updateTable('exchange_rates').set({ per_eur: 1.3 }).where('currency', '=', 'USD').execute();
    assert.equal((await converter(core))({ e4: 10_000, currency: 'EUR' }, 'USD'), 12_000, 'cached');
    clock.ms += 61_000;
    assert.equal((await converter(core))({ e4: 10_000, currency: 'EUR' }, 'USD'), 13_000, 'read again after a minute');
  });
});
