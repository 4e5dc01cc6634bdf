import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/**
 * Multi-row inserts of hot paths (event ingestion). Kysely builds and compiles a node per
 * value, which at a few dozen rows costs more than the insert itself. The SQL text depends
 * only on the dialect, the table, the columns and the number of rows, so it is compiled once
 * per shape and then run with the rows' values as parameters.
 */
const shapes = new WeakMap<object, Map<string, string>>();

/** Inserts `rows`: every row with the same columns, in the same order, none undefined. */
export async function insertRows<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: ReadonlyArray<Insertable<Database[T]>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const adapter = db.getExecutor().adapter;
  let cache = shapes.get(adapter);
  if (!cache) shapes.set(adapter, (cache = new Map()));
  const key = `${table}|${columns.join(',')}|${rows.length}`;
  let text = cache.get(key);
  if (text === undefined) {
    // The first rows of a shape compile it; their values are not kept.
    const compiled = db.insertInto(table).values(rows).compile();
    // An undefined value compiles to DEFAULT instead of a parameter: the text would not fit other rows.
    if (compiled.parameters.length !== rows.length * columns.length) throw new Error(`insertRows: rows of ${table} must give every column a value (null, not undefined)`);
    text = compiled.sql;
    if (cache.size > 1000) cache.clear();
    cache.set(key, text);
  }
  const parameters: unknown[] = [];
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    for (const column of columns) parameters.push(values[column] ?? null);
  }
  await db.executeQuery(CompiledQuery.raw(text, parameters));
}
