import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';

/**
 * Deadlines due within one window share a signal: a send is aborted between `ms` and
 * `ms + WINDOW_MS` after it began. An AbortController, its timer and the DOMException of its
 * abort cost a fast channel more than the bookkeeping of its send (thousands a second).
 */
const WINDOW_MS = 250;

interface Window {
  readonly controller: AbortController;
  readonly timer: NodeJS.Timeout;
  users: number;
}

/** Open windows by the time they are due (monotonic ms, a multiple of WINDOW_MS): a step of the wall clock moves no deadline. */
const windows = new Map<number, Window>();

/**
 * Runs `work` with a signal that aborts once `ms` have passed (at most WINDOW_MS later).
 * Unlike AbortSignal.timeout, the timer holds the process open: a send waiting only on its
 * deadline must still end, not vanish with the event loop. A window's timer is cleared as
 * soon as no work waits on it.
 */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const due = Math.ceil((performance.now() + ms) / WINDOW_MS) * WINDOW_MS;
  let window = windows.get(due);
  if (!window) {
    const controller = new AbortController();
    // Every send of the window listens (nodemailer and the SMPP link each add a listener).
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => {
      windows.delete(due);
      controller.abort(new Error('the deadline passed'));
    }, due - performance.now());
    window = { controller, timer, users: 0 };
    windows.set(due, window);
  }
  window.users += 1;
  try {
    return await work(window.controller.signal);
  } finally {
    window.users -= 1;
    if (window.users === 0 && !window.controller.signal.aborted) {
      clearTimeout(window.timer);
      windows.delete(due);
    }
  }
}
