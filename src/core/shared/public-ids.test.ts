import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublicIds } from './public-ids.js';

const alphabet = 'kX3vQ9mZpL2bN8cR7dT6fY5gH4jW1sA0eUoIiKxVqMzPlBnCrDtFyGhJwSaEuO';
const ids = new PublicIds(alphabet);

test('ids are 8 opaque characters that decode back', () => {
  for (const n of [1, 2, 25, 1000, 123_456_789, 2 ** 40]) {
    const id = ids.encode('profile', n);
    assert.ok(id.length >= 8);
    assert.match(id, /^[A-Za-z0-9]+$/);
    assert.equal(ids.decode('profile', id), n);
  }
  assert.equal(ids.encode('profile', 42).length, 8);
  assert.notEqual(ids.encode('profile', 1).slice(0, 4), ids.encode('profile', 2).slice(0, 4), 'neighbours do not look alike');
});

test("one kind's id is not another kind's", () => {
  const profile = ids.encode('profile', 7);
  assert.notEqual(ids.encode('list', 7), profile);
  assert.notEqual(ids.decode('list', profile), 7);
  for (let n = 1; n <= 5000; n++) {
    const id = ids.encode('profile', n);
    for (const other of ['list', 'app', 'session', 'business'] as const) assert.equal(ids.decode(other, id), undefined, `profile ${n} read as a ${other}`);
    assert.equal(ids.decodeTuple('activity', id, 1), undefined);
  }
});

test('another installation reads the same id differently', () => {
  const other = new PublicIds([...alphabet].reverse().join(''));
  assert.notEqual(other.encode('profile', 42), ids.encode('profile', 42));
});

test('forged, malformed and non-canonical ids decode to undefined', () => {
  const real = ids.encode('profile', 42);
  const flipped = real.slice(0, -1) + (real.endsWith('k') ? 'X' : 'k');
  for (const forged of ['', 'short', '!!!!!!!!', 'BvYeyVYz', flipped, real + real, 'x'.repeat(200), '../../etc', '12345678']) {
    const decoded = ids.decode('profile', forged);
    assert.ok(decoded === undefined || ids.encode('profile', decoded) === forged, `${forged} is rejected or canonical`);
    if (forged !== real) assert.notEqual(decoded, 42);
  }
  assert.throws(() => ids.require('profile', 'nonsense', 'Profile'), /Profile was not found/);
});

test('tuples of integers decode back, and only as many as were encoded', () => {
  for (const tuple of [
    [1, 0, 0],
    [2, 15, 123_456],
    [1, 2 ** 40, 7],
  ]) {
    const id = ids.encodeTuple('activity', tuple);
    assert.ok(id.length >= 8);
    assert.deepEqual(ids.decodeTuple('activity', id, 3), tuple);
    assert.equal(ids.decodeTuple('activity', id, 2), undefined);
    assert.notDeepEqual(ids.decodeTuple('event', id, 3), tuple);
  }
  assert.equal(ids.decodeTuple('activity', ids.encode('activity', 5), 3), undefined, 'a single id is no tuple');
  assert.equal(ids.decodeTuple('activity', 'x'.repeat(60), 3), undefined);
});
