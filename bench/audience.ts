/**
 * 1,000,000 profiles in one business (bulk-loaded, not via HTTP), each with an email and a
 * gender, then p50/p99 of the reads of issue 4 through the whole HTTP stack (app.inject: routing, auth, core, mapping,
 * serialisation), each beside the raw SQL query it runs at its heart, with the ratio.
 *
 *   node --import tsx bench/audience.ts [profiles=1000000] [samples=300]
 *   BENCH_DATABASE_URL=postgres://… node --import tsx bench/audience.ts   (PostgreSQL)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { PublicIds } from '../src/core/shared/public-ids.js';
import { loadConfig } from '../src/config/config.js';
import { createBusiness } from '../src/core/business/businesses.service.js';
import { publicIdAlphabet } from '../src/core/business/installation.service.js';
import { Metrics } from '../src/observability/metrics.js';
import { foldName, sortName } from '../src/core/audience/profiles.service.js';
import { openRuntime } from '../src/runtime.js';

const PROFILES = Number(process.argv[2] ?? 1_000_000);
const SAMPLES = Number(process.argv[3] ?? 300);
const BATCH = 1000;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellohub-bench-audience-'));
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const runtime = await openRuntime(config, { logTo: 'stderr' });
const { ctx } = runtime;
const db = ctx.db;

const { business, key } = await createBusiness(ctx, { name: `Bench ${Date.now()}`, country: 'NL' });
const { token } = key;
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'Backus'];

const { id: genderProperty } = await db
  .selectFrom('properties')
  .select('id')
  .where('business_id', '=', business.id)
  .where('kind', '=', 'gender')
  .executeTakeFirstOrThrow();
console.error(`loading ${PROFILES} profiles on ${ctx.caps.dialect}…`);
const loadStarted = performance.now();
const now = Math.floor(Date.now() / 1000);
for (let start = 0; start < PROFILES; start += BATCH) {
  const count = Math.min(BATCH, PROFILES - start);
  await db.transaction().execute(async (trx) => {
    const rows = Array.from({ length: count }, (_, i) => {
      const n = start + i;
      const first = FIRST[n % FIRST.length] ?? 'Ada';
      const last = `${LAST[Math.floor(n / FIRST.length) % LAST.length] ?? 'Lovelace'}${n % 997}`;
      return {
        business_id: business.id,
        first_name: first,
        last_name: last,
        first_name_key: foldName(first),
        last_name_key: foldName(last),
        sort_name: sortName(first, last),
        state: 'subscribed' as const,
        bounced: 0 as const,
        blocked: 0 as const,
        created_at: now - PROFILES + n,
        updated_at: now,
        // Activity spread over a year, not in creation order.
        activity_at: now - ((n * 7919) % 31_536_000),
      };
    });
    const profiles = await trx.insertInto('profiles').values(rows).returning('id').execute();
    const properties = await trx
      .insertInto('properties')
      .values(profiles.map(({ id }) => ({ business_id: business.id, kind: 'email', name: null, name_key: null, scope_id: id, profile_id: id, position: 1, is_unique: 0 as const, created_at: now, updated_at: now })))
      .returning(['id', 'profile_id'])
      .execute();
    const emails = await trx
      .insertInto('property_values')
      .values(
        properties.map(({ id, profile_id }) => {
          const email = `customer${profile_id}@example.com`;
          return { business_id: business.id, profile_id: profile_id ?? 0, property_id: id, kind: 'email', value: JSON.stringify(email), search_text: email, unique_key: null, verified: 0 as const, created_at: now, updated_at: now };
        }),
      )
      .returning(['id', 'profile_id', 'search_text'])
      .execute();
    // Every profile has a gender too: half "male", a common value for the `property` filter.
    const genders = await trx
      .insertInto('property_values')
      .values(
        profiles.map(({ id }) => {
          const gender = id % 2 === 0 ? 'male' : id % 1000 === 1 ? 'nonbinary' : 'female';
          return { business_id: business.id, profile_id: id, property_id: genderProperty, kind: 'gender', value: JSON.stringify(gender), search_text: gender, unique_key: null, verified: 0 as const, created_at: now, updated_at: now };
        }),
      )
      .returning(['id', 'profile_id', 'search_text'])
      .execute();
    await trx
      .insertInto('property_terms')
      .values([...emails, ...genders].map((value) => ({ business_id: business.id, value_id: value.id, profile_id: value.profile_id, term: value.search_text })))
      .execute();
  });
  if ((start / BATCH) % 100 === 0) console.error(`  ${start + count} (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
}
// Fresh statistics, as a long-running installation has them.
await sql`analyze`.execute(db);
console.error(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);

const ids = new PublicIds(await publicIdAlphabet(ctx));
const app = await buildApp({ ctx, ids, metrics: new Metrics() });
await app.ready();
const headers = { authorization: `Bearer ${token}` };
const bounds = await db.selectFrom('profiles').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).where('business_id', '=', business.id).executeTakeFirstOrThrow();
const minId = Number(bounds.min);
const maxId = Number(bounds.max);
const randomId = () => minId + Math.floor(Math.random() * (maxId - minId + 1));

async function sample(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)] ?? NaN, p99: times[Math.floor(times.length * 0.99)] ?? NaN };
}

async function http(url: string): Promise<void> {
  const response = await app.inject({ url, headers });
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
}

const b = business.id;
// Bound as a parameter, as Kysely sends it: SQLite plans a literal LIMIT differently.
const PAGE = 25;
const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
  [
    'list, first page (activity)',
    () => http('/v1/profiles'),
    () => sql`select * from profiles where business_id = ${b} order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  [
    'list with email filter',
    () => http(`/v1/profiles?email=customer${randomId()}@example.com`),
    () =>
      sql`select * from profiles where business_id = ${b} and id in (select profile_id from property_values where business_id = ${b} and search_text = ${`customer${randomId()}@example.com`} and kind = 'email') order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  [
    'list, alphabetically',
    () => http('/v1/profiles?order=alphabetically'),
    () => sql`select * from profiles where business_id = ${b} order by sort_name asc, id asc limit ${PAGE}`.execute(db),
  ],
  [
    'list with first_name filter',
    () => http('/v1/profiles?first_name=grace'),
    () => sql`select * from profiles where business_id = ${b} and first_name_key = ${'grace'} order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  [
    'list with last_name filter (rare)',
    () => http(`/v1/profiles?last_name=hopper${randomId() % 997}`),
    () => sql`select * from profiles where business_id = ${b} and last_name_key = ${`hopper${randomId() % 997}`} order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  [
    'list with property filter (common: male)',
    () => http('/v1/profiles?property=male'),
    () =>
      sql`select * from profiles p where business_id = ${b} and exists (select 1 from property_terms t where t.business_id = ${b} and t.profile_id = p.id and t.term = ${'male'}) order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  [
    'list with property filter (rare: 1 in 1000)',
    () => http('/v1/profiles?property=nonbinary'),
    () =>
      sql`select * from profiles where business_id = ${b} and id in (select profile_id from property_terms where business_id = ${b} and term = ${'nonbinary'}) order by activity_at desc, id desc limit ${PAGE}`.execute(db),
  ],
  ['retrieve by id', () => http(`/v1/profiles/${ids.encode('profile', randomId())}`), () => sql`select * from profiles where business_id = ${b} and id = ${randomId()}`.execute(db)],
];

console.log(`audience reads, ${PROFILES.toLocaleString('en')} profiles, ${ctx.caps.dialect}, ${SAMPLES} samples each (ms)`);
console.log(`${'case'.padEnd(44)}hellohub p50   p99    raw SQL p50   p99    ratio p50`);
for (const [name, ours, raw] of cases) {
  const a = await sample(ours);
  const r = await sample(raw);
  console.log(
    `${name.padEnd(44)}${a.p50.toFixed(2).padStart(8)} ${a.p99.toFixed(2).padStart(7)}   ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(7)}   x${(a.p50 / r.p50).toFixed(1)}`,
  );
}
await app.close();
await runtime.close();
fs.rmSync(dataDir, { recursive: true, force: true });
