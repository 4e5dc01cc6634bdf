import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublicIds } from './public-ids.js';

const alphabet = 'kX3vQ9mZpL2bN8cR7dT6fY5gH4jW1sA0eUoIiKxVqMzPlBnCrDtFyGhJwSaEuO';
const ids = new PublicIds(alphabet);

test('ids are 8 opaque characters that decode back', () => {
  for (const n of [1, 2, 25, 1000, 123_456_789, 2 ** 40]) {
    const id = ids.encode(n);
    assert.equal(id.length >= 8, true);
    assert.match(id, /^[A-Za-z0-9]+$/);
    assert.equal(ids.decode(id), n);
  }
  assert.equal(ids.encode(42).length, 8);
  assert.notEqual(ids.encode(1).slice(0, 4), ids.encode(2).slice(0, 4), 'neighbours do not look alike');
});

test('another installation reads the same id differently', () => {
  const other = new PublicIds([...alphabet].reverse().join(''));
  assert.notEqual(other.encode(42), ids.encode(42));
});

test('forged, malformed and non-canonical ids decode to undefined', () => {
  const real = ids.encode(42);
  const flipped = real.slice(0, -1) + (real.endsWith('k') ? 'X' : 'k');
  for (const forged of ['', 'short', '!!!!!!!!', 'BvYeyVYz', flipped, real + real, 'x'.repeat(200), '../../etc', '12345678']) {
    const decoded = ids.decode(forged);
    assert.ok(decoded === undefined || ids.encode(decoded) === forged, `${forged} is rejected or canonical`);
    if (forged !== real) assert.notEqual(decoded, 42);
  }
});
