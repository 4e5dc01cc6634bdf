import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay } from '../../src/jobs/backoff.js';

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  test('the ceiling doubles with each attempt, starting at the base', () => {
    const nearlyOne = 1 - Number.EPSILON;
    assert.equal(backoffDelay(1, policy, nearlyOne), 999);
    assert.equal(backoffDelay(2, policy, nearlyOne), 1999);
    assert.equal(backoffDelay(3, policy, nearlyOne), 3999);
    assert.equal(backoffDelay(6, policy, nearlyOne), 31_999);
  });

  test('the ceiling stops at the maximum, even for huge attempt numbers', () => {
    assert.equal(backoffDelay(7, policy, 0.5), 30_000);
    assert.equal(backoffDelay(100, policy, 0.5), 30_000);
    assert.equal(backoffDelay(5000, policy, 0.5), 30_000);
  });

  test('full jitter: the delay is the random fraction of the ceiling, from zero', () => {
    assert.equal(backoffDelay(3, policy, 0), 0);
    assert.equal(backoffDelay(3, policy, 0.25), 1000);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(4, policy, Math.random());
      assert.ok(delay >= 0 && delay < 8000, `delay ${delay} out of [0, 8000)`);
    }
  });

  test('out-of-range draws are clamped', () => {
    assert.equal(backoffDelay(1, policy, -1), 0);
    assert.equal(backoffDelay(1, policy, 2), 1000);
    assert.equal(backoffDelay(0, policy, 0.5), 500);
  });
});
