import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './tables.js';

const PLACEHOLDER = Symbol('prepared-query placeholder');

interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && PLACEHOLDER in value;
}

/** Where each bound value of the compiled statement comes from: a parameter by name, or a constant of the query. */
type Binding = { readonly name: string } | { readonly constant: unknown };

interface Prepared {
  readonly sql: string;
  readonly bindings: readonly Binding[];
}

/**
 * A statement of a hot path (a send, a tracked event), built and compiled once per dialect
 * and then run with new values. Building and compiling a Kysely query costs tens of
 * microseconds of JavaScript, more than SQLite takes to find a row by its key, and these
 * paths run a few statements per message.
 *
 * `build` is called once, with placeholders standing for the parameters; the SQL it compiles
 * to is kept, and each run binds the values given in the placeholders' places. So it fits
 * statements of one fixed shape only: each parameter must be bound as one value where it is
 * used (an `in` list, or a value that changes which SQL is written, would be fixed at its
 * first shape). A parameter that does not reach the SQL is an error at the first run; the
 * parameters are the keys of the first call's values, so every call names them all. The SQL
 * is kept per dialect, not per plugin: run it on the database as built, not a `withPlugin` view.
 */
export function preparedQuery<P extends Record<string, unknown>, R>(build: (db: Kysely<Database>, params: P) => Compilable<R>): (db: Kysely<Database>, values: P) => Promise<R[]> {
  // By the dialect's adapter: a transaction shares its database's, and the SQL differs by dialect only.
  const prepared = new WeakMap<object, Prepared>();
  return async (db, values) => {
    // getExecutor is marked internal in Kysely's types, but is the one handle shared by a
    // database and its transactions that tells the dialect apart.
    const adapter = db.getExecutor().adapter;
    let statement = prepared.get(adapter);
    if (!statement) {
      statement = prepare(db, build, Object.keys(values));
      prepared.set(adapter, statement);
    }
    const parameters = statement.bindings.map((binding) => ('name' in binding ? values[binding.name] : binding.constant));
    const result = await db.executeQuery<R>(CompiledQuery.raw(statement.sql, parameters));
    return result.rows;
  };
}

function prepare<P extends Record<string, unknown>, R>(db: Kysely<Database>, build: (db: Kysely<Database>, params: P) => Compilable<R>, names: readonly string[]): Prepared {
  const placeholders: Record<string, Placeholder> = {};
  for (const name of names) placeholders[name] = Object.freeze({ [PLACEHOLDER]: name });
  // The placeholders stand in for values of P's types only while the query is built: they
  // are bound as values and never read by Kysely, which puts them in `parameters` as given.
  const compiled = build(db, placeholders as unknown as P).compile();
  const bindings = compiled.parameters.map((value): Binding => (isPlaceholder(value) ? { name: value[PLACEHOLDER] } : { constant: value }));
  const unused = names.filter((name) => !bindings.some((binding) => 'name' in binding && binding.name === name));
  if (unused.length > 0) throw new Error(`prepared query: ${unused.join(', ')} not bound in ${compiled.sql}`);
  return { sql: compiled.sql, bindings };
}
