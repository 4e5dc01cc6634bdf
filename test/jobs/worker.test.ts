import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Logger } from 'pino';
import { PermanentJobError, type JobHandlers, type JobInfo } from '../../src/jobs/job-handler.js';
import { enqueue, type NewJob } from '../../src/jobs/job-queue.js';
import { claimJobs } from '../../src/jobs/jobs.repository.js';
import { Worker, type WorkerOptions } from '../../src/jobs/worker.js';
import { createCapturingLogger, jobsTestCore, ManualClock, testWorkerOptions, TEST_LEASE_MS, until, type JobsTestCore } from './jobs-test-core.js';

const T0 = 1_800_000_000_000;
const LEASE_MS = TEST_LEASE_MS;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A private database, a frozen clock, and a way to start workers that are stopped after the test. */
async function setup(options: { logger?: Logger } = {}) {
  const clock = new ManualClock(T0);
  const core = await jobsTestCore({ clock, ...options });
  cleanups.push(() => core.dispose());
  const outcomes = { completed: [] as JobInfo[], failed: [] as string[], dead: [] as string[] };
  const startWorker = (handlers: JobHandlers, overrides: Partial<WorkerOptions> = {}, ctx: JobsTestCore = core) => {
    const hooks: WorkerOptions['hooks'] = {
      onCompleted: (job) => outcomes.completed.push(job),
      onFailed: (_job, error) => outcomes.failed.push(error),
      onDead: (_job, error) => outcomes.dead.push(error),
    };
    const worker = new Worker(ctx, handlers, testWorkerOptions(hooks, overrides));
    worker.start();
    cleanups.push(() => worker.stop(1000));
    return worker;
  };
  const add = (job: Partial<NewJob> = {}) => enqueue(core.db, { kind: 'test', payload: { n: 1 }, businessId: null, ...job }, core);
  const row = (id: number) => core.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return { core, clock, outcomes, startWorker, add, row };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Worker', () => {
  test('runs handlers concurrently up to its concurrency and deletes done jobs', async () => {
    const { startWorker, add, row, outcomes } = await setup();
    let running = 0;
    let peak = 0;
    const seen: unknown[] = [];
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => add({ payload: { n } })));
    startWorker(
      {
        test: async (job) => {
          running += 1;
          peak = Math.max(peak, running);
          seen.push(job.payload);
          await sleep(15);
          running -= 1;
        },
      },
      { concurrency: 3 },
    );
    await until(() => outcomes.completed.length === 6, 5000, 'six completions');
    assert.equal(peak, 3);
    assert.equal(seen.length, 6);
    for (const id of ids) assert.equal(await row(id), undefined);
  });

  test('retries a failed job after its backoff, measured on the injected clock', async () => {
    const { startWorker, add, row, clock, outcomes } = await setup();
    const attempts: number[] = [];
    const id = await add({ maxAttempts: 3 });
    startWorker({
      test: async (job) => {
        attempts.push(job.attempt);
        if (job.attempt === 1) throw new Error('flaky once');
      },
    });
    await until(() => outcomes.failed.length === 1, 5000, 'the first failure');
    const failed = await row(id);
    assert.equal(failed?.state, 'queued');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.run_at, T0 + 500, 'half (random 0.5) of the 1000 ms first ceiling');
    assert.equal(failed.last_error, 'Error: flaky once');
    assert.equal(failed.locked_by, null);

    await sleep(40);
    assert.deepEqual(attempts, [1], 'not due before its backoff has passed');
    clock.advance(500);
    await until(() => outcomes.completed.length === 1, 5000, 'the retry');
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(await row(id), undefined);
  });

  test('marks a job dead with its last error after max attempts', async () => {
    const { startWorker, add, row, outcomes } = await setup();
    const id = await add({ maxAttempts: 3 });
    startWorker(
      {
        test: async (job) => {
          throw new Error(`smtp down #${job.attempt}`);
        },
      },
      { random: () => 0 },
    );
    await until(() => outcomes.dead.length === 1, 5000, 'the job to die');
    const dead = await row(id);
    assert.equal(dead?.state, 'dead');
    assert.equal(dead.attempts, 3);
    assert.equal(dead.last_error, 'Error: smtp down #3');
    assert.equal(outcomes.failed.length, 2);
  });

  test('a PermanentJobError and an unknown kind make the job dead at once', async () => {
    const { startWorker, add, row, outcomes } = await setup();
    const permanent = await add({ kind: 'permanent' });
    const unknown = await add({ kind: 'nobody.handles.this' });
    startWorker({
      permanent: async () => {
        throw new PermanentJobError('recipient address is invalid');
      },
    });
    await until(() => outcomes.dead.length === 2, 5000, 'both jobs to die');
    assert.equal(outcomes.failed.length, 0);
    const first = await row(permanent);
    assert.equal(first?.state, 'dead');
    assert.equal(first.attempts, 1);
    assert.equal(first.last_error, 'PermanentJobError: recipient address is invalid');
    const second = await row(unknown);
    assert.equal(second?.state, 'dead');
    assert.equal(second.last_error, 'PermanentJobError: no handler is registered for job kind "nobody.handles.this"');
  });

  test('a job whose worker died is run again once its lease expires', async () => {
    const { core, startWorker, add, row, clock, outcomes } = await setup();
    const id = await add();
    await claimJobs(core.db, core.caps, { workerId: 'crashed', now: clock.now(), leaseMs: LEASE_MS, limit: 1 });
    const attempts: number[] = [];
    startWorker({ test: async (job) => void attempts.push(job.attempt) });
    await sleep(40);
    assert.deepEqual(attempts, [], 'the lease is still held');
    clock.advance(LEASE_MS + 1);
    await until(() => outcomes.completed.length === 1, 5000, 'the takeover');
    assert.deepEqual(attempts, [2]);
    assert.equal(await row(id), undefined);
  });

  test("a worker that lost its lease cannot overwrite the new owner's state", async () => {
    const { logger, lines } = createCapturingLogger();
    const { core, startWorker, add, row, clock, outcomes } = await setup({ logger });
    const id = await add();
    let release = () => {};
    let started = false;
    const worker = startWorker({
      test: () => {
        started = true;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await until(() => started, 5000, 'the handler to start');
    clock.advance(LEASE_MS + 1);
    const [taken] = await claimJobs(core.db, core.caps, { workerId: 'worker-b', now: clock.now(), leaseMs: LEASE_MS, limit: 1 });
    assert.equal(taken?.id, id);
    release();
    await worker.stop(1000);
    const current = await row(id);
    assert.equal(current?.state, 'running');
    assert.equal(current.locked_by, 'worker-b');
    assert.deepEqual(outcomes.completed, []);
    assert.ok(lines.some((line) => line.msg === 'job lease was taken over; outcome discarded'));
  });

  test('a job that never reports back is dead once its attempts are used up', async () => {
    const { core, startWorker, add, row, clock, outcomes } = await setup();
    const id = await add({ maxAttempts: 2 });
    for (const workerId of ['crashed-1', 'crashed-2']) {
      await claimJobs(core.db, core.caps, { workerId, now: clock.now(), leaseMs: LEASE_MS, limit: 1 });
      clock.advance(LEASE_MS + 1);
    }
    let ran = false;
    startWorker({ test: async () => void (ran = true) });
    await until(() => outcomes.dead.length === 1, 5000, 'the job to die');
    assert.equal(ran, false);
    assert.match((await row(id))?.last_error ?? '', /gave up after 2 attempts/);
  });
  test('a throwing hook is logged and the worker goes on', async () => {
    const { logger, lines } = createCapturingLogger();
    const { startWorker, add, row } = await setup({ logger });
    const ids = [await add(), await add()];
    const onCompleted = () => {
      throw new Error('metrics broke');
    };
    startWorker({ test: async () => {} }, { hooks: { onCompleted } });
    await until(() => lines.filter((line) => line.msg === 'job worker hook failed').length === 2, 5000, 'two hook errors');
    for (const id of ids) assert.equal(await row(id), undefined);
  });
});

describe('Worker.stop', () => {
  test('stops claiming and waits for jobs in flight', async () => {
    const { startWorker, add, row } = await setup();
    const first = await add();
    let finished = false;
    const worker = startWorker(
      {
        test: async () => {
          await sleep(150);
          finished = true;
        },
      },
      { concurrency: 1 },
    );
    await until(() => worker.running === 1, 5000, 'the job to start');
    const second = await add();
    await worker.stop(5000);
    assert.equal(finished, true);
    assert.equal(await row(first), undefined);
    const waiting = await row(second);
    assert.equal(waiting?.state, 'queued');
    assert.equal(waiting.attempts, 0);
  });

  test('gives up waiting after its timeout; the unfinished job keeps its lease', async () => {
    const { startWorker, add, row } = await setup();
    const id = await add();
    let release = () => {};
    const worker = startWorker({ test: () => new Promise<void>((resolve) => (release = resolve)) });
    await until(() => worker.running === 1, 5000, 'the job to start');
    const stopping = Date.now();
    await worker.stop(50);
    assert.ok(Date.now() - stopping < 1000);
    const held = await row(id);
    assert.equal(held?.state, 'running');
    assert.equal(held.locked_by, 'worker-a');
    assert.equal(held.locked_until, T0 + LEASE_MS);
    release();
    await until(async () => (await row(id)) === undefined, 5000, 'the late completion');
  });

  test('logs and retries when the database fails, and still stops', async () => {
    const { logger, lines } = createCapturingLogger();
    const { core, startWorker } = await setup({ logger });
    await core.store.close();
    const worker = startWorker({}, {}, { ...core, dispose: async () => {} });
    await until(() => lines.filter((line) => line.msg === 'job worker could not claim jobs').length >= 3, 5000, 'repeated claim errors');
    await worker.stop(100);
  });
});

describe('lease renewal', () => {
  test('a job running longer than its lease is renewed, not taken over', async () => {
    const { core, clock, outcomes, startWorker, add, row } = await setup();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    startWorker({ test: () => held }, { leaseMs: 60 });
    const id = await add();
    await until(async () => (await row(id))?.state === 'running', 5000, 'the job to start');
    // Time passes well beyond the lease while the handler still works; the renewals keep
    // moving locked_until ahead of the clock.
    for (let i = 0; i < 5; i++) {
      clock.advance(50);
      await sleep(40);
    }
    const stolen = await claimJobs(core.db, core.caps, { workerId: 'worker-b', now: clock.now(), leaseMs: 60, limit: 5 });
    assert.deepEqual(stolen, [], 'no other worker takes a job whose lease is renewed');
    release();
    await until(() => outcomes.completed.length === 1, 5000, 'completion');
    assert.equal(await row(id), undefined);
  });
});
