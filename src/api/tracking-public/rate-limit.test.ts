import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenBuckets } from './rate-limit.js';

describe('TokenBuckets', () => {
  test('a burst, then one token per refill interval, never more than the burst saved up', () => {
    const buckets = new TokenBuckets({ burst: 2, perMinute: 30 });
    assert.equal(buckets.take('a', 0), 0);
    assert.equal(buckets.take('a', 0), 0);
    assert.equal(buckets.take('a', 0), 2, 'one token every 2 s');
    assert.equal(buckets.take('a', 1000), 1);
    assert.equal(buckets.take('a', 2000), 0);
    assert.equal(buckets.take('a', 600_000), 0);
    assert.equal(buckets.take('a', 600_000), 0);
    assert.equal(buckets.take('a', 600_000), 2, 'ten idle minutes saved up only the burst');
  });

  test('keys are independent, and a refused request takes no token', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 60 });
    assert.equal(buckets.take('a', 0), 0);
    assert.equal(buckets.take('a', 0), 1);
    assert.equal(buckets.take('a', 500), 1);
    assert.equal(buckets.take('b', 500), 0);
    assert.equal(buckets.take('a', 1000), 0);
  });

  test('holds at most maxKeys buckets, dropping the least recently used', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 1 }, 3);
    for (const key of ['a', 'b', 'c']) buckets.take(key, 0);
    buckets.take('a', 1);
    buckets.take('d', 2);
    assert.equal(buckets.size, 3);
    assert.ok(buckets.take('a', 3) > 0, 'a was used recently: kept, still empty');
    assert.equal(buckets.take('b', 3), 0, 'b was dropped: a fresh bucket');
  });
});
