import { pino, type Logger } from 'pino';
import type { Clock } from '../../src/core/shared/clock.js';
import type { WorkerOptions } from '../../src/jobs/worker.js';
import { testCore, type TestCore } from '../support/context.js';

/** Job tests see every business's jobs, so each gets a database of its own. */
export type JobsTestCore = TestCore;

export function jobsTestCore(options: { clock?: Clock; logger?: Logger } = {}): Promise<JobsTestCore> {
  return testCore({ ...options, ownDatabase: true });
}

/** Lease of the test workers: short, so takeovers happen within a test. */
export const TEST_LEASE_MS = 1000;

/** The worker options job tests start from: two at a time, fast polls, no jitter. */
export function testWorkerOptions(hooks: WorkerOptions['hooks'], overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  return { concurrency: 2, pollMs: 5, leaseMs: TEST_LEASE_MS, workerId: 'worker-a', backoff: { baseMs: 1000, maxMs: 60_000 }, random: () => 0.5, hooks, ...overrides };
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A logger keeping its lines for assertions. */
export function createCapturingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}


/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
