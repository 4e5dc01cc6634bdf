import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createScratchDatabase, tempDir, testDatabaseUrl } from '../support/database.js';

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

  test('rates import FILE replaces the exchange rates from ECB XML or CSV; rates list shows them', async () => {
    // Rates are installation-wide: on PostgreSQL the import gets a database of its own.
    const scratch = testDatabaseUrl ? await createScratchDatabase(testDatabaseUrl) : undefined;
    const ratesEnv = { ...env, DATA_DIR: tempDir(), ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
    const rates = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'rates', ...args], { env: ratesEnv });
    const dir = tempDir();
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    try {
      const defaults = JSON.parse((await rates('list', '--json')).stdout) as Array<{ currency: string; per_eur: number; as_of: string }>;
      assert.ok(defaults.length > 20, 'a new installation has the default rates');
      assert.deepEqual(defaults.find((rate) => rate.currency === 'EUR'), { currency: 'EUR', per_eur: 1, as_of: defaults[0]?.as_of });

      const xml = write(
        'eurofxref-daily.xml',
        `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube><Cube time='2026-01-14'>
    <Cube currency='USD' rate='1.0850'/>
    <Cube currency='JPY' rate='160.5'/>
    <Cube currency='GBP' rate='0.8421'/>
  </Cube></Cube>
</gesmes:Envelope>`,
      );
      const imported = await rates('import', xml);
      assert.equal(imported.stdout, 'Loaded exchange rates for 4 currencies.\n');
      assert.equal((await rates('list')).stdout, 'EUR\t1\t2026-01-14\nGBP\t0.8421\t2026-01-14\nJPY\t160.5\t2026-01-14\nUSD\t1.085\t2026-01-14\n');

      const csv = write('rates.csv', 'currency,per_eur,date\nUSD,1.09,2026-01-15\nCHF,0.93,2026-01-15\n');
      assert.equal((await rates('import', csv)).stdout, 'Loaded exchange rates for 3 currencies.\n');
      const listed = JSON.parse((await rates('list', '--json')).stdout);
      assert.deepEqual(listed, [
        { currency: 'CHF', per_eur: 0.93, as_of: '2026-01-15' },
        { currency: 'EUR', per_eur: 1, as_of: '2026-01-15' },
        { currency: 'USD', per_eur: 1.09, as_of: '2026-01-15' },
      ]);

      const bad = write('bad.csv', 'USD,1.09\nXYZ,2\n');
      await assert.rejects(rates('import', bad), (error: { code: number; stderr: string; stdout: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /line 2: "XYZ" is not an ISO 4217 code/);
        assert.equal(error.stdout, '');
        return true;
      });
      await assert.rejects(rates('import', path.join(dir, 'missing.xml')), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /Cannot read .*missing\.xml/);
        return true;
      });
      await assert.rejects(rates('import', csv, xml), (error: { code: number }) => error.code === 2);
    } finally {
      await scratch?.drop();
    }
  });

  test('the installed bin runs the compiled CLI', { skip: !fs.existsSync('dist/cli/main.js') && 'not built' }, async () => {
    const { stdout } = await run(process.execPath, ['bin/hellohub.js', 'help'], { env });
    assert.match(stdout, /Usage: hellohub/);
  });
});
