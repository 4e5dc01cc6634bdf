#!/usr/bin/env node
// Runs the whole suite with node's test runner: unit tests beside the code (src/**/*.test.ts)
// and HTTP/browser suites (test/**/*.test.ts). Pass paths to run only those files.
// With TEST_DATABASE_URL=postgres://… every database test runs on PostgreSQL instead of SQLite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'test'].flatMap(findTests).sort();
const dialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
console.log(`hellohub tests: ${files.length} files on ${dialect}`);

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
