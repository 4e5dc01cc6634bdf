/**
 * Runs `work` with a signal that aborts after `ms`. Unlike AbortSignal.timeout, the timer holds
 * the process open: a send waiting only on its deadline must still end, not vanish with the
 * event loop. The timer is cleared as soon as the work settles.
 */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`deadline of ${ms} ms passed`)), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
