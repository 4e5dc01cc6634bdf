#!/usr/bin/env node
// Runs the whole suite with node's test runner: unit tests beside the code (src/**/*.test.ts)
// and HTTP/browser suites (test/**/*.test.ts). Pass paths to run only those files.
// With TEST_DATABASE_URL=postgres://… every database test runs on PostgreSQL instead of SQLite,
// in a scratch database made for this run and dropped after it (also on failure, SIGINT and
// SIGTERM), so no run sees the migrations or the id alphabet of an older checkout.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

/** Runs `work` with a client on the server of `url` (outside a transaction, as CREATE DATABASE needs). */
async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// SIGINT/SIGTERM stop the test runner first (and through it the test files); cleanup follows.
let child;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    child?.kill(signal);
  });
}

/** The test runner as a child process; resolves with its exit status (1 when killed). */
async function runTests(files, env) {
  if (interrupted) return 1;
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files];
  child = spawn(process.execPath, args, { stdio: 'inherit', env });
  const [code] = await once(child, 'exit');
  return code ?? 1;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'test'].flatMap(findTests).sort();
const baseUrl = process.env.TEST_DATABASE_URL;

if (!baseUrl) {
  console.log(`hellohub tests: ${files.length} files on sqlite`);
  process.exit(await runTests(files, process.env));
}

const name = `hellohub_run_${randomBytes(6).toString('hex')}`;
const scratch = new URL(baseUrl);
scratch.pathname = `/${name}`;

/** Drops the run's database and those its tests made beside it (test/support/database.ts). */
const dropScratch = () =>
  withClient(baseUrl, async (db) => {
    const { rows } = await db.query('SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2', [name, `${name}\\_%`]);
    for (const { datname } of rows) await db.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }).catch((error) => console.error(`hellohub tests: could not drop ${name}: ${error.message}`));

await withClient(baseUrl, (db) => db.query(`CREATE DATABASE ${name}`));
console.log(`hellohub tests: ${files.length} files on postgres, scratch database ${name} on ${scratch.host}`);
process.exit(await runTests(files, { ...process.env, TEST_DATABASE_URL: scratch.toString() }).finally(dropScratch));
