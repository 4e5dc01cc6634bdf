import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDeadline } from './deadline.js';

const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true }));

test('work still running at its deadline is aborted, no sooner and at most a window later', async () => {
  const started = Date.now();
  const results = await Promise.allSettled([withDeadline(100, untilAborted), withDeadline(100, untilAborted), withDeadline(100, async () => 'done')]);
  const elapsed = Date.now() - started;
  assert.equal(results[0]?.status, 'rejected');
  assert.equal(results[1]?.status, 'rejected');
  assert.deepEqual(results[2], { status: 'fulfilled', value: 'done' });
  assert.ok(elapsed >= 100 && elapsed < 100 + 250 + 100, `aborted after ${elapsed} ms`);
});

test('work that ends in time leaves no timer behind and is never aborted', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const before = timers();
  let seen: AbortSignal | undefined;
  assert.equal(
    await withDeadline(60_000, async (signal) => {
      seen = signal;
      return 42;
    }),
    42,
  );
  // The window's timer was cleared: a deadline a minute away does not hold the process open.
  assert.equal(timers(), before);
  assert.equal(seen?.aborted, false);
});
