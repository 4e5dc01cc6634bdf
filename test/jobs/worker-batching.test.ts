import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { JobHandlers, JobInfo } from '../../src/jobs/job-handler.js';
import { enqueue } from '../../src/jobs/job-queue.js';
import { claimJobs, completeJobs, releaseJobs } from '../../src/jobs/jobs.repository.js';
import { Worker, type WorkerOptions } from '../../src/jobs/worker.js';
import { createCapturingLogger, jobsTestCore, ManualClock, testWorkerOptions, TEST_LEASE_MS, until } from './jobs-test-core.js';

const T0 = 1_800_000_000_000;
const LEASE_MS = TEST_LEASE_MS;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const clock = new ManualClock(T0);
  const { logger, lines } = createCapturingLogger();
  const core = await jobsTestCore({ clock, logger });
  cleanups.push(() => core.dispose());
  const completed: JobInfo[] = [];
  const startWorker = (handlers: JobHandlers, overrides: Partial<WorkerOptions> = {}) => {
    const worker = new Worker(core, handlers, testWorkerOptions({ onCompleted: (job) => completed.push(job) }, overrides));
    worker.start();
    cleanups.push(() => worker.stop(1000));
    return worker;
  };
  const add = (kind = 'test', n = 1) => enqueue(core.db, { kind, payload: { n }, businessId: null }, core);
  const rows = (state?: 'queued' | 'running') =>
    core.db
      .selectFrom('jobs')
      .selectAll()
      .$if(state !== undefined, (qb) => qb.where('state', '=', state ?? 'queued'))
      .orderBy('id')
      .execute();
  return { core, clock, lines, completed, startWorker, add, rows };
}

/** A handler that waits until released (and, once released, no longer waits), counting how many run at once. */
function gate() {
  const waiting: Array<() => void> = [];
  let running = 0;
  let open = false;
  const handler = () =>
    open
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          running += 1;
          waiting.push(() => {
            running -= 1;
            resolve();
          });
        });
  const releaseAll = () => {
    open = true;
    waiting.splice(0).forEach((release) => release());
  };
  return { handler, releaseAll, running: () => running };
}

describe('claiming ahead', () => {
  test('one claim takes concurrency + prefetch jobs; only concurrency run, the rest wait claimed', async () => {
    const { startWorker, add, rows } = await setup();
    for (let n = 0; n < 20; n++) await add('test', n);
    const { handler, releaseAll, running } = gate();
    startWorker({ test: handler }, { concurrency: 3, prefetch: 5 });
    await until(() => running() === 3, 5000, 'three handlers');
    const claimed = await rows('running');
    assert.equal(claimed.length, 8, 'three running and five claimed ahead, in one claim');
    assert.deepEqual(new Set(claimed.map((row) => row.updated_at)).size, 1, 'all claimed at the same moment');
    assert.ok(claimed.every((row) => row.locked_by === 'worker-a' && row.attempts === 1));
    assert.equal(running(), 3);
    releaseAll();
  });

  test('runs a long queue to the end, claiming again as the claimed-ahead jobs start', async () => {
    const { startWorker, add, rows, completed } = await setup();
    for (let n = 0; n < 60; n++) await add('test', n);
    startWorker({ test: async () => new Promise((resolve) => setTimeout(resolve, 1)) }, { concurrency: 4, prefetch: 8 });
    await until(() => completed.length === 60, 10_000, 'sixty completions');
    assert.deepEqual(await rows(), []);
  });

  test('a stopping worker gives the jobs it never started back, uncounted', async () => {
    const { startWorker, add, rows } = await setup();
    for (let n = 0; n < 6; n++) await add('test', n);
    const { handler, releaseAll, running } = gate();
    const worker = startWorker({ test: handler }, { concurrency: 2, prefetch: 4 });
    await until(() => running() === 2, 5000, 'two handlers');
    const stopping = worker.stop(5000);
    releaseAll();
    await stopping;
    const left = await rows();
    assert.equal(left.length, 4);
    for (const row of left) {
      assert.equal(row.state, 'queued');
      assert.equal(row.attempts, 0, 'the claim of a job that never ran is taken back');
      assert.equal(row.locked_by, null);
    }
  });

  test('a claimed-ahead job whose lease was taken over while it waited does not run', async () => {
    const { core, clock, lines, startWorker, add, rows } = await setup();
    await add('test', 1);
    await add('test', 2);
    const { handler, releaseAll, running } = gate();
    const ran: number[] = [];
    startWorker({ test: async (job) => (ran.push(job.id), handler()) }, { concurrency: 1, prefetch: 1 });
    await until(() => running() === 1, 5000, 'the first handler');
    const waiting = (await rows('running')).find((row) => !ran.includes(row.id));
    assert.ok(waiting, 'the second job is claimed ahead');
    clock.advance(LEASE_MS + 1);
    const [taken] = await claimJobs(core.db, core.caps, { workerId: 'worker-b', now: clock.now(), leaseMs: LEASE_MS, limit: 5 });
    releaseAll();
    await until(() => lines.some((line) => line.msg === 'job lease was taken over before the job started'), 5000, 'the skipped start');
    assert.ok(taken);
    assert.equal(ran.includes(waiting.id), false);
    const row = (await rows()).find((r) => r.id === waiting.id);
    assert.equal(row?.locked_by, 'worker-b');
  });
});

describe('batched completions', () => {
  test('jobs finishing together are deleted together, with the writes their handlers gave to finish', async () => {
    const { core, startWorker, add, rows, completed } = await setup();
    for (let n = 0; n < 5; n++) await add('test', n);
    startWorker(
      {
        test: async (job) => {
          job.finish?.(async (trx) => {
            await enqueue(trx, { kind: 'marker', payload: job.payload, businessId: null, runAt: T0 + 60_000 }, core);
          });
        },
      },
      { concurrency: 5, completionDelayMs: 50 },
    );
    await until(() => completed.length === 5, 5000, 'five completions');
    const left = await rows();
    assert.deepEqual(left.map((row) => row.kind), ['marker', 'marker', 'marker', 'marker', 'marker'], 'each finish committed with its deletion');
  });

  test('a completion waiting in the batch is fenced by its lease: a taken-over job keeps its new owner and no finish is written', async () => {
    const { core, clock, lines, startWorker, add, rows, completed } = await setup();
    const id = await add();
    // A job still running keeps the worker busy, so the done job's completion waits for company.
    const hold = gate();
    await add('hold');
    let handled = false;
    const worker = startWorker(
      {
        hold: hold.handler,
        test: async (job) => {
          handled = true;
          job.finish?.(async (trx) => {
            await enqueue(trx, { kind: 'marker', payload: null, businessId: null }, core);
          });
        },
      },
      { completionDelayMs: 60_000 },
    );
    await until(() => handled && hold.running() === 1, 5000, 'the handler');
    // The worker "hangs" before its batch is written; its lease runs out and another takes over.
    clock.advance(LEASE_MS + 1);
    const [taken] = await claimJobs(core.db, core.caps, { workerId: 'worker-b', now: clock.now(), leaseMs: LEASE_MS, limit: 1 });
    assert.equal(taken?.id, id);
    hold.releaseAll();
    await worker.stop(1000);
    const left = await rows();
    assert.deepEqual(
      left.filter((row) => row.kind !== 'hold').map((row) => [row.id, row.locked_by]),
      [[id, 'worker-b']],
      'the job keeps its new owner, and the finish was not written',
    );
    assert.deepEqual(completed.filter((job) => job.kind === 'test'), []);
    assert.ok(lines.some((line) => line.msg === 'job lease was taken over; outcome discarded'));
  });

  test('a crash before the batch is written only means the job runs again', async () => {
    const { core, clock, startWorker, add, rows, completed } = await setup();
    const id = await add();
    const hold = gate();
    await add('hold');
    const attempts: number[] = [];
    const handlers: JobHandlers = {
      hold: hold.handler,
      test: async (job) => {
        attempts.push(job.attempt);
        job.finish?.(async (trx) => {
          await enqueue(trx, { kind: 'marker', payload: job.attempt, businessId: null, runAt: T0 + 60_000 }, core);
        });
      },
    };
    // The first worker never writes its batch in time (as if its process died); the job is still
    // running under its lease and its finish is nowhere.
    const crashed = startWorker(handlers, { workerId: 'crashed', completionDelayMs: 60_000 });
    await until(() => attempts.length === 1 && hold.running() === 1, 5000, 'the first run');
    assert.deepEqual((await rows()).filter((row) => row.kind === 'test').map((row) => [row.id, row.state]), [[id, 'running']]);
    assert.equal((await rows()).filter((row) => row.kind === 'marker').length, 0);
    clock.advance(LEASE_MS + 1);
    startWorker(handlers, { workerId: 'worker-b', completionDelayMs: 5 });
    await until(() => completed.length === 1, 5000, 'the second run');
    assert.deepEqual(attempts, [1, 2]);
    hold.releaseAll();
    await crashed.stop(1000);
    await until(async () => (await rows()).every((row) => row.kind === 'marker'), 5000, 'the held jobs to finish');
    const left = await rows();
    assert.deepEqual(left.map((row) => [row.kind, JSON.parse(row.payload)]), [['marker', 2]], 'only the run that completed wrote its finish');
  });

  test('a finish that throws fails that job alone; its neighbours in the batch complete', async () => {
    const { startWorker, add, rows, completed } = await setup();
    const ids = [await add('test', 1), await add('test', 2), await add('test', 3)];
    startWorker(
      {
        test: async (job) => {
          job.finish?.(async () => {
            if (job.payload !== null && typeof job.payload === 'object' && 'n' in job.payload && job.payload.n === 2) throw new Error('finish broke');
          });
        },
      },
      { concurrency: 3, completionDelayMs: 50 },
    );
    await until(() => completed.length === 2, 5000, 'two completions');
    await until(async () => (await rows()).some((row) => row.state === 'queued'), 5000, 'the failed job rescheduled');
    const left = await rows();
    assert.deepEqual(
      left.map((row) => [row.id, row.state, row.attempts, row.last_error]),
      [[ids[1], 'queued', 1, 'Error: finish broke']],
    );
  });
});

describe('batch repository functions', () => {
  test('completeJobs deletes each job only under its own lease; releaseJobs takes the claim back', async () => {
    const { core, clock, add } = await setup();
    const ids = [await add(), await add(), await add()];
    const claimed = await claimJobs(core.db, core.caps, { workerId: 'w1', now: clock.now(), leaseMs: LEASE_MS, limit: 3 });
    assert.equal(claimed.length, 3);
    const [a, b, c] = ids;
    const deleted = await completeJobs(core.db, [
      { id: a ?? 0, workerId: 'w1', attempt: 1 },
      { id: b ?? 0, workerId: 'w2', attempt: 1 },
      { id: c ?? 0, workerId: 'w1', attempt: 2 },
    ]);
    assert.deepEqual([...deleted], [a]);
    assert.equal(await releaseJobs(core.db, [{ id: b ?? 0, workerId: 'w2', attempt: 1 }, { id: c ?? 0, workerId: 'w1', attempt: 1 }], clock.now()), 1);
    const left = await core.db.selectFrom('jobs').select(['id', 'state', 'attempts', 'locked_by']).orderBy('id').execute();
    assert.deepEqual(left, [
      { id: b, state: 'running', attempts: 1, locked_by: 'w1' },
      { id: c, state: 'queued', attempts: 0, locked_by: null },
    ]);
  });
});
