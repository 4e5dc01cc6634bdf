/** How long a failed job waits before its next attempt. */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay; it doubles with every attempt. */
  readonly baseMs: number;
  /** Highest ceiling, however many attempts have failed. */
  readonly maxMs: number;
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, ceiling). Jobs that
 * failed together (a provider outage) then come back spread out instead of in one burst.
 * `random` is a draw from [0, 1), passed in so the function stays pure and testable.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(Math.min(Math.max(random, 0), 1) * ceiling);
}
