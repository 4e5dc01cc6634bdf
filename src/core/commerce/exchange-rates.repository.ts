import type { Kysely, Selectable } from 'kysely';
import type { Database, ExchangeRatesTable } from '../../store/tables.js';

export type RateRow = Selectable<ExchangeRatesTable>;

export function allRates(db: Kysely<Database>): Promise<RateRow[]> {
  return db.selectFrom('exchange_rates').selectAll().orderBy('currency').execute();
}

/** Replaces the whole table in one transaction: a partial import never mixes two days. */
export async function replaceRates(db: Kysely<Database>, rows: readonly RateRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('exchange_rates').execute();
    for (let start = 0; start < rows.length; start += 200) await trx.insertInto('exchange_rates').values(rows.slice(start, start + 200)).execute();
  });
}
