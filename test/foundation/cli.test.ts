import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { tempDir, testDatabaseUrl } from '../support/database.js';

const run = promisify(execFile);

describe('hellohub CLI', () => {
  const env = {
    ...process.env,
    DATA_DIR: tempDir(),
    LOG_LEVEL: 'warn',
    ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
  };
  const hellohub = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env });

  test('business create --json prints exactly one JSON object with a working token', async () => {
    const { stdout } = await hellohub('business', 'create', '--name', 'Acme BV', '--country', 'NL', '--currency', 'EUR', '--timezone', 'Europe/Amsterdam', '--json');
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const created = JSON.parse(lines[0] ?? '');
    assert.deepEqual(Object.keys(created).sort(), ['country', 'currency', 'id', 'name', 'public_id', 'token', 'uuid']);
    assert.equal(created.name, 'Acme BV');
    assert.equal(created.country, 'NL');
    assert.equal(created.currency, 'EUR');
    assert.match(created.uuid, /^[0-9a-f-]{36}$/);
    assert.match(created.token, /^hh_/);

    const key = JSON.parse((await hellohub('key', 'create', '--business', String(created.id), '--surfaces', 'hellodialog,esputnik', '--json')).stdout);
    assert.deepEqual(key.surfaces, ['hellodialog', 'esputnik']);
    const listed = JSON.parse((await hellohub('key', 'list', '--business', String(created.id), '--json')).stdout);
    assert.equal(listed.length, 2);
    assert.ok(listed.every((k: Record<string, unknown>) => !('token' in k)), 'listing never shows a secret');

    await hellohub('key', 'revoke', key.prefix);
    const after = JSON.parse((await hellohub('key', 'list', '--business', String(created.id), '--json')).stdout);
    assert.ok(after.find((k: { prefix: string; revoked_at: number | null }) => k.prefix === key.prefix)?.revoked_at);
  });

  test('refusals exit 1 with the reason, bad usage exits 2', async () => {
    await assert.rejects(hellohub('business', 'create', '--name', 'X', '--country', 'Narnia'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /country/);
      return true;
    });
    await assert.rejects(hellohub('key', 'create'), (error: { code: number }) => error.code === 2);
    await assert.rejects(hellohub('frobnicate'), (error: { code: number }) => error.code === 2);
  });

  test('bad configuration fails fast naming every variable', async () => {
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], { env: { ...env, PORT: 'x', WORKER_CONCURRENCY: '-1' } }),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /PORT/);
        assert.match(error.stderr, /WORKER_CONCURRENCY/);
        return true;
      },
    );
  });

  test('the installed bin runs the compiled CLI', { skip: !fs.existsSync('dist/cli/main.js') && 'not built' }, async () => {
    const { stdout } = await run(process.execPath, ['bin/hellohub.js', 'help'], { env });
    assert.match(stdout, /Usage: hellohub/);
  });
});
