import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PermanentJobError } from '../../src/jobs/job-handler.js';
import { enqueue } from '../../src/jobs/job-queue.js';
import { startWorker } from '../../src/jobs/run-worker.js';
import { testApp, type TestApp } from '../support/app.js';

/** Reads one sample of the Prometheus text, or 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('/metrics', () => {
  let t: TestApp;
  before(async () => {
    // A worker claims every business's jobs: this test needs a database of its own.
    t = await testApp({ ownDatabase: true, config: { WORKER_POLL_MS: '10' } });
  });
  after(() => t.close());

  test('shows the job queue by state and the outcomes of the jobs this process ran', async () => {
    await enqueue(t.core.db, { kind: 'probe.flaky', payload: {}, businessId: null, maxAttempts: 5 }, t.core);
    await enqueue(t.core.db, { kind: 'probe.broken', payload: {}, businessId: null }, t.core);
    const before = (await t.app.inject({ url: '/metrics' })).body;
    assert.equal(sample(before, 'hellohub_jobs{state="queued"}'), 2);

    const worker = startWorker(t.core, t.metrics, {
      'probe.flaky': async () => {
        throw new Error('provider timed out');
      },
      'probe.broken': async () => {
        throw new PermanentJobError('cannot ever work');
      },
    });
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await t.app.inject({ url: '/metrics' })).body;
      // The worker counts an outcome after recording it: wait for every figure asserted below.
      const settled =
        sample(text, 'hellohub_jobs{state="dead"}') === 1 &&
        sample(text, 'hellohub_jobs_finished_total{kind="probe.broken",outcome="dead"}') === 1 &&
        sample(text, 'hellohub_jobs_finished_total{kind="probe.flaky",outcome="retry"}') >= 1;
      if (settled) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.stop(1000);
    assert.equal(sample(text, 'hellohub_jobs{state="dead"}'), 1);
    assert.equal(sample(text, 'hellohub_jobs_finished_total{kind="probe.broken",outcome="dead"}'), 1);
    assert.ok(sample(text, 'hellohub_jobs_finished_total{kind="probe.flaky",outcome="retry"}') >= 1);
  });
});
