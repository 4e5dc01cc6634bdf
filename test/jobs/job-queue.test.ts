import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueue, onJobEnqueued } from '../../src/jobs/job-queue.js';
import { claimJobs, completeJob, countJobsByState, markJobDead, rescheduleJob } from '../../src/jobs/jobs.repository.js';
import { jobsTestCore, ManualClock, type JobsTestCore } from './jobs-test-core.js';

const T0 = 1_800_000_000_000;
const clock = new ManualClock(T0);
let core: JobsTestCore;

before(async () => {
  core = await jobsTestCore({ clock });
});
after(() => core.dispose());

const claim = (workerId: string, limit = 10, leaseMs = 1000) => claimJobs(core.db, core.caps, { workerId, now: clock.now(), leaseMs, limit });

describe('enqueue (transactional outbox)', () => {
  test('a job enqueued in a transaction that rolls back does not exist', async () => {
    const before = await countJobsByState(core.db);
    await assert.rejects(
      core.db.transaction().execute(async (trx) => {
        await enqueue(trx, { kind: 'test.rollback', payload: { a: 1 }, businessId: null }, { clock, config: core.config });
        throw new Error('abort the transaction');
      }),
      /abort the transaction/,
    );
    assert.deepEqual(await countJobsByState(core.db), before);
  });

  test('a committed job is stored queued with its payload, defaults and run time', async () => {
    const id = await core.db.transaction().execute((trx) => enqueue(trx, { kind: 'test.commit', payload: { to: 'x', n: [1, 2] }, businessId: null }, { clock, config: core.config }));
    const row = await core.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'queued');
    assert.equal(row.attempts, 0);
    assert.equal(row.max_attempts, core.config.JOB_MAX_ATTEMPTS);
    assert.equal(row.run_at, T0);
    assert.deepEqual(JSON.parse(row.payload), { to: 'x', n: [1, 2] });
    await core.db.deleteFrom('jobs').where('id', '=', id).execute();
  });

  test('refuses payloads that JSON cannot carry and empty kinds', async () => {
    await assert.rejects(enqueue(core.db, { kind: 'test.bad', payload: undefined, businessId: null }, { clock, config: core.config }), TypeError);
    await assert.rejects(enqueue(core.db, { kind: '', payload: 1, businessId: null }, { clock, config: core.config }), RangeError);
    await assert.rejects(enqueue(core.db, { kind: 'test.bad', payload: 1, businessId: null, maxAttempts: 0 }, { clock, config: core.config }), RangeError);
  });

  test('wakes listeners after an enqueue', async () => {
    let woken = 0;
    const unsubscribe = onJobEnqueued(() => (woken += 1));
    const id = await enqueue(core.db, { kind: 'test.wake', payload: null, businessId: null }, { clock, config: core.config });
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    assert.equal(woken, 1);
    await core.db.deleteFrom('jobs').where('id', '=', id).execute();
  });
});

describe('claim and outcomes', () => {
  test('claims due jobs once, oldest first, counting the attempt; complete deletes', async () => {
    const later = await enqueue(core.db, { kind: 'test.later', payload: 2, businessId: null, runAt: T0 + 5000 }, { clock, config: core.config });
    const first = await enqueue(core.db, { kind: 'test.now', payload: 1, businessId: null, runAt: T0 - 10 }, { clock, config: core.config });
    const second = await enqueue(core.db, { kind: 'test.now', payload: 1, businessId: null }, { clock, config: core.config });

    const claimed = [...(await claim('w1', 1)), ...(await claim('w1'))];
    assert.deepEqual(
      claimed.map((row) => row.id),
      [first, second],
      'earliest run_at first; the future job is not due',
    );
    for (const row of claimed) {
      assert.equal(row.state, 'running');
      assert.equal(row.locked_by, 'w1');
      assert.equal(row.locked_until, T0 + 1000);
      assert.equal(row.attempts, 1);
    }
    assert.deepEqual(await claim('w2'), [], 'running jobs with a live lease are not claimed again');
    assert.deepEqual(await countJobsByState(core.db), { queued: 1, running: 2, dead: 0 });

    assert.equal(await completeJob(core.db, { id: first, workerId: 'w1', attempt: 1 }), true);
    assert.equal(await completeJob(core.db, { id: second, workerId: 'w1', attempt: 1 }), true);
    assert.equal(await core.db.selectFrom('jobs').select('id').where('id', 'in', [first, second]).executeTakeFirst(), undefined);

    clock.advance(5000);
    assert.deepEqual(
      (await claim('w1')).map((row) => row.id),
      [later],
    );
    assert.equal(await completeJob(core.db, { id: later, workerId: 'w1', attempt: 1 }), true);
  });

  test('claims at most the limit', async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => enqueue(core.db, { kind: 'test.limit', payload: n, businessId: null }, { clock, config: core.config })));
    assert.equal((await claim('w1', 2)).length, 2);
    assert.equal((await claim('w2', 2)).length, 1);
    await core.db.deleteFrom('jobs').where('id', 'in', ids).execute();
  });

  test('an expired lease is claimed again, and the old owner can no longer record an outcome', async () => {
    const id = await enqueue(core.db, { kind: 'test.lease', payload: null, businessId: null }, { clock, config: core.config });
    assert.equal((await claim('ghost', 10, 1000)).length, 1);
    clock.advance(1000);
    assert.deepEqual(await claim('w2'), [], 'the lease is still valid at its last millisecond');
    clock.advance(1);
    const [taken] = await claim('w2');
    assert.equal(taken?.id, id);
    assert.equal(taken.attempts, 2);

    const ghost = { id, workerId: 'ghost', attempt: 1 };
    const now = clock.now();
    assert.equal(await completeJob(core.db, ghost), false);
    assert.equal(await rescheduleJob(core.db, ghost, { runAt: now, error: 'late', now }), false);
    assert.equal(await markJobDead(core.db, ghost, { error: 'late', now }), false);
    const row = await core.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'running');
    assert.equal(row.locked_by, 'w2');
    assert.equal(row.last_error, null);

    assert.equal(await completeJob(core.db, { id, workerId: 'w2', attempt: 1 }), false, 'the attempt is part of the fence');
    assert.equal(await markJobDead(core.db, { id, workerId: 'w2', attempt: 2 }, { error: 'boom', now }), true);
    assert.deepEqual(await claim('w3'), [], 'dead jobs are never claimed');
    assert.equal((await countJobsByState(core.db)).dead, 1);
  });
});
