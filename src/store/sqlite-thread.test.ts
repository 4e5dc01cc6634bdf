import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { tempDir, testDatabaseUrl } from '../../test/support/database.js';
import { openStore, type Store } from './database.js';

// The SQLite thread's own rules; PostgreSQL runs have no thread.
const skip = testDatabaseUrl !== undefined;
let store: Store;
before(async () => {
  if (skip) return;
  store = openStore({ dataDir: tempDir(), poolSize: 1 });
  await sql`create table notes (id integer primary key, body text not null)`.execute(store.db);
});
after(() => (skip ? undefined : store.close()));

const count = async (): Promise<number> => Number((await sql<{ n: number }>`select count(*) as n from notes`.execute(store.db)).rows[0]?.n);
const insert = (db: Store['db'], body: string) => sql`insert into notes (body) values (${body})`.execute(db);

test('statements of others wait while a transaction is open, and never run inside it', { skip }, async () => {
  let proceed = (): void => undefined;
  const held = new Promise<void>((resolve) => (proceed = resolve));
  let inside!: () => void;
  const begun = new Promise<void>((resolve) => (inside = resolve));
  const transaction = store.db
    .transaction()
    .execute(async (trx) => {
      await insert(trx, 'rolled back');
      inside();
      await held;
      throw new Error('roll back');
    })
    .catch((error: unknown) => error);
  await begun;
  // Issued while the transaction is open: run after it, so they see none of its row and are
  // not rolled back with it.
  const seen = count();
  const written = insert(store.db, 'kept');
  proceed();
  assert.match(String(await transaction), /roll back/);
  assert.equal(await seen, 0);
  await written;
  assert.equal(await count(), 1);
});

test('statements issued together are answered together, each with its own rows; transactions take turns', { skip }, async () => {
  const before = await count();
  const bodies = Array.from({ length: 40 }, (_, index) => `note ${index}`);
  await Promise.all(bodies.map((body) => insert(store.db, body)));
  const found = await Promise.all(bodies.map((body) => sql<{ body: string }>`select body from notes where body = ${body}`.execute(store.db)));
  assert.deepEqual(
    found.map(({ rows }) => rows.map((row) => row.body)),
    bodies.map((body) => [body]),
  );
  await Promise.all(
    bodies.slice(0, 10).map((body) =>
      store.db.transaction().execute(async (trx) => {
        await insert(trx, `${body} again`);
        await insert(trx, `${body} and again`);
      }),
    ),
  );
  assert.equal(await count(), before + 40 + 20);
});

test('a value that cannot cross threads fails its own statement only, not those sent with it', { skip }, async () => {
  const [broken, fine] = await Promise.allSettled([sql`select ${Symbol('not data')} as x`.execute(store.db), sql<{ n: number }>`select 1 as n`.execute(store.db)]);
  assert.equal(broken.status, 'rejected');
  assert.deepEqual(fine.status === 'fulfilled' ? fine.value.rows : fine.reason, [{ n: 1 }]);
});
