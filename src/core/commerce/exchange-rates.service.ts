import type { CoreContext } from '../context.js';
import { isCurrencyCode } from '../business/locale.js';
import { DomainError } from '../shared/errors.js';
import { allRates, replaceRates, type RateRow } from './exchange-rates.repository.js';
import type { Money } from './money.js';

/**
 * Conversion into a business's reporting currency, through the euro as the ECB publishes
 * rates. Rates change a few times a day at most, so each process (and apart, the store's
 * thread that writes event batches) keeps them for a minute; an import elsewhere
 * (`hellohub rates import` is a process of its own) is seen within that minute.
 */
const CACHE_MS = 60_000;

interface RateTable {
  readonly loadedAt: number;
  readonly perEur: ReadonlyMap<string, number>;
}

// Keyed by the store's capabilities object, of which each open store has one: a transaction
// handle differs from its database's, and the cache must outlive transactions.
const tables = new WeakMap<CoreContext['caps'], RateTable>();

async function rateTable(ctx: CoreContext): Promise<RateTable> {
  const cached = tables.get(ctx.caps);
  if (cached && ctx.clock.now() - cached.loadedAt < CACHE_MS) return cached;
  const rows = await allRates(ctx.db);
  const table = { loadedAt: ctx.clock.now(), perEur: new Map(rows.map((row) => [row.currency, row.per_eur])) };
  tables.set(ctx.caps, table);
  return table;
}

/** A rate table read now, for converting many amounts at once (one event batch). */
export async function converter(ctx: CoreContext): Promise<(money: Money, to: string) => number | null> {
  const { perEur } = await rateTable(ctx);
  return (money, to) => {
    if (money.currency === to) return money.e4;
    const from = perEur.get(money.currency);
    const into = perEur.get(to);
    // No rate for one side: the converted amount is unknown rather than wrong.
    if (from === undefined || into === undefined) return null;
    const converted = Math.round((money.e4 / from) * into);
    // Beyond exact integers (a huge amount into a currency of many units per euro) the
    // converted amount is unknown rather than wrong.
    return Number.isSafeInteger(converted) ? converted : null;
  };
}

export async function listRates(ctx: CoreContext): Promise<RateRow[]> {
  return allRates(ctx.db);
}

/**
 * Reads a rates file: the ECB daily XML (eurofxref-daily.xml) or CSV lines
 * `currency,units_per_euro[,date]` (a header line is skipped). EUR is always 1.
 */
export function parseRatesFile(text: string, today: string): RateRow[] {
  const rows = new Map<string, RateRow>();
  const add = (currency: string, rate: number, asOf: string, where: string) => {
    const code = currency.trim().toUpperCase();
    if (!isCurrencyCode(code)) throw new DomainError('invalid', `${where}: "${currency}" is not an ISO 4217 code.`, 'file');
    if (!Number.isFinite(rate) || rate <= 0) throw new DomainError('invalid', `${where}: the rate of ${code} must be a positive number.`, 'file');
    if (code === 'EUR' && rate !== 1) throw new DomainError('invalid', `${where}: rates are per euro, so the rate of EUR is 1.`, 'file');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new DomainError('invalid', `${where}: "${asOf}" is not a date (YYYY-MM-DD).`, 'file');
    rows.set(code, { currency: code, per_eur: rate, as_of: asOf });
  };
  if (/<gesmes:Envelope|<Cube/i.test(text)) {
    const day = /<Cube\s+time=['"](\d{4}-\d{2}-\d{2})['"]/.exec(text);
    const date = day?.[1] ?? today;
    // The ECB's history files hold many days, newest first: only the newest is read.
    const start = day?.index ?? 0;
    const nextDay = text.slice(start + 1).search(/<Cube\s+time=/);
    const newest = nextDay === -1 ? text.slice(start) : text.slice(start, start + 1 + nextDay);
    for (const match of newest.matchAll(/<Cube\s+currency=['"]([A-Za-z]{3})['"]\s+rate=['"]([^'"]+)['"]/g)) {
      add(match[1] as string, Number(match[2]), date, 'XML');
    }
  } else {
    text.split(/\r?\n/).forEach((line, index) => {
      const fields = line.split(',').map((field) => field.trim());
      if (fields.join('') === '' || (index === 0 && !/\d/.test(fields[1] ?? ''))) return;
      if (fields.length < 2 || fields.length > 3) throw new DomainError('invalid', `line ${index + 1}: expected currency,rate[,date].`, 'file');
      add(fields[0] as string, Number(fields[1]), fields[2] || today, `line ${index + 1}`);
    });
  }
  if (rows.size === 0) throw new DomainError('empty', 'The file holds no rates.', 'file');
  const asOf = [...rows.values()][0]?.as_of ?? today;
  if (!rows.has('EUR')) rows.set('EUR', { currency: 'EUR', per_eur: 1, as_of: asOf });
  return [...rows.values()];
}

/** Replaces the installation's rates with the file's; returns how many currencies it holds. */
export async function importRates(ctx: CoreContext, text: string): Promise<number> {
  const rows = parseRatesFile(text, new Date(ctx.clock.now()).toISOString().slice(0, 10));
  await replaceRates(ctx.db, rows);
  tables.delete(ctx.caps);
  return rows.length;
}
