import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { publicApp, type PublicApp } from './public-client.js';

const SOURCE = await readFile(new URL('../../tracker/hellohub.js', import.meta.url), 'utf8');
const HASH = createHash('sha256').update(SOURCE).digest('hex').slice(0, 16);

/** GET /tracker.js and /tracker/<hash>.js: the script, its caching, its size. */
describe('the tracker script', () => {
  let t: PublicApp;
  before(async () => {
    t = await publicApp();
  });
  after(() => t.close());

  test('is under 5 KB gzipped and has no dependencies (no import, no require)', () => {
    const gzipped = gzipSync(Buffer.from(SOURCE), { level: 9 }).length;
    assert.ok(gzipped < 5 * 1024, `${gzipped} bytes gzipped`);
    assert.doesNotMatch(SOURCE, /^\s*import\s|\brequire\(/m);
  });

  test('GET /tracker.js: the script with a short cache, an ETag and its versioned URL in Content-Location', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/tracker.js', headers: { origin: 'https://shop.example.com' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, SOURCE);
    assert.match(String(res.headers['content-type']), /^application\/javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.equal(res.headers.etag, `"${HASH}"`);
    assert.equal(res.headers['content-location'], `/tracker/${HASH}.js`);
    assert.equal(res.headers['access-control-allow-origin'], 'https://shop.example.com');

    const revalidated = await t.app.inject({ method: 'GET', url: '/tracker.js', headers: { 'if-none-match': `"${HASH}"` } });
    assert.equal(revalidated.statusCode, 304);
    assert.equal(revalidated.body, '');
  });

  test('GET /tracker/<hash>.js: the same script, cached for a year and immutable; another version is 404 as JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/tracker/${HASH}.js` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, SOURCE);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(res.headers['content-type']), /^application\/javascript/);

    const stale = await t.app.inject({ method: 'GET', url: '/tracker/0123456789abcdef.js' });
    assert.equal(stale.statusCode, 404);
    assert.equal(stale.json().errors[0].type, 'not_found');
    assert.match(stale.json().errors[0].message, new RegExp(HASH));
  });
});
