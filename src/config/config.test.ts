import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

test('defaults make a working local server', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8080);
  assert.equal(config.HOST, '0.0.0.0');
  assert.equal(config.PUBLIC_URL, 'http://localhost:8080');
  assert.equal(config.DATA_DIR, path.resolve('./data'));
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.ALLOW_PRIVATE_URLS, false);
  assert.equal(config.BODY_LIMIT_BYTES, 1024 * 1024);
  assert.ok(Object.isFrozen(config));
});

test('PUBLIC_URL follows PORT unless set, without a trailing slash', () => {
  assert.equal(loadConfig({ PORT: '9000' }).PUBLIC_URL, 'http://localhost:9000');
  assert.equal(loadConfig({ PUBLIC_URL: 'https://hub.example.com/' }).PUBLIC_URL, 'https://hub.example.com');
});

test('every bad variable is listed at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ALLOW_PRIVATE_URLS: 'maybe', DEFAULT_COUNTRY: 'XX', DEFAULT_TIMEZONE: 'Mars/Base' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split(':')[0]),
        ['PORT', 'DATABASE_URL', 'ALLOW_PRIVATE_URLS', 'DEFAULT_COUNTRY', 'DEFAULT_TIMEZONE'],
      );
      return true;
    },
  );
});

test('empty variables fall back to their default', () => {
  assert.equal(loadConfig({ PORT: '' }).PORT, 8080);
});

test('the README documents every variable', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const { describeConfig } = await import('./config.js');
  for (const { name } of describeConfig()) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} is in the README's table`);
});

test('TRUST_PROXY: false by default, true, or a list of addresses and ranges', () => {
  assert.equal(loadConfig({}).TRUST_PROXY, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY, ['10.0.0.0/8', '127.0.0.1', '::1']);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'proxy.example.com' }), /TRUST_PROXY/);
});
