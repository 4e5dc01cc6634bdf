import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { enqueue } from '../../src/jobs/job-queue.js';
import { countJobsByState } from '../../src/jobs/jobs.repository.js';
import { jobsTestCore, until } from './jobs-test-core.js';

const PROCESSES = 4;
const JOBS = 200;
const fixture = fileURLToPath(new URL('../fixtures/job-worker-process.ts', import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  stderr: string;
}

function spawnWorker(workerId: string, env: Record<string, string>): Child {
  const child: Child = {
    process: spawn(process.execPath, ['--import', 'tsx', fixture], { env: { ...process.env, ...env, WORKER_ID: workerId } }),
    lines: [],
    stderr: '',
  };
  let pending = '';
  child.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    child.lines.push(...parts);
  });
  child.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => (child.stderr += chunk));
  return child;
}

async function terminate(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const closed = once(child.process, 'close');
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(timer);
}

test(`${PROCESSES} worker processes on one database run each of ${JOBS} jobs exactly once`, { timeout: 90_000 }, async () => {
  const core = await jobsTestCore();
  const children = Array.from({ length: PROCESSES }, (_, i) =>
    spawnWorker(`proc-${i}`, { JOBS_DATA_DIR: core.dataDir, JOBS_DATABASE_URL: core.databaseUrl ?? '' }),
  );
  const diagnostics = () => children.map((child, i) => `proc-${i} exit=${child.process.exitCode} stderr:\n${child.stderr}`).join('\n');
  try {
    await until(() => children.every((child) => child.lines.includes('ready')), 30_000, `all workers ready\n${diagnostics()}`);

    // One transaction for the whole batch, so every worker finds a full queue at once.
    const ids = await core.db
      .transaction()
      .execute(async (trx) => {
        const created: number[] = [];
        for (let n = 0; n < JOBS; n++) created.push(await enqueue(trx, { kind: 'probe', payload: { n }, businessId: null }, core));
        return created;
      });

    await until(
      async () => {
        const counts = await countJobsByState(core.db);
        return counts.queued + counts.running + counts.dead === 0;
      },
      60_000,
      `an empty jobs table\n${diagnostics()}`,
    );
    await Promise.all(children.map(terminate));

    const runs = new Map<number, Array<{ worker: string; start: number; end: number }>>();
    for (const line of children.flatMap((child) => child.lines.filter((l) => l !== 'ready'))) {
      const [id, worker, start, end] = line.split(' ');
      const list = runs.get(Number(id)) ?? [];
      list.push({ worker: worker ?? '?', start: Number(start), end: Number(end) });
      runs.set(Number(id), list);
    }
    for (const [id, list] of runs) {
      for (const a of list) {
        for (const b of list) {
          assert.ok(a === b || !(a.start < b.end && b.start < a.end), `job ${id} ran twice at the same time: ${JSON.stringify(list)}`);
        }
      }
      assert.equal(list.length, 1, `job ${id} ran ${list.length} times: ${JSON.stringify(list)}`);
    }
    assert.deepEqual([...runs.keys()].sort((a, b) => a - b), ids, 'every job ran, and nothing else');
    const workers = new Set([...runs.values()].flatMap((list) => list.map((run) => run.worker)));
    assert.ok(workers.size >= 2, `the work was shared between processes (${[...workers].join(', ')})`);
  } finally {
    await Promise.all(children.map(terminate));
    await core.dispose();
  }
});
