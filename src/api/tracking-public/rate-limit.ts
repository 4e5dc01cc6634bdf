import type { FastifyReply } from 'fastify';

/** A token bucket's shape: `burst` requests at once, refilled at `perMinute`. */
export interface BucketLimits {
  readonly burst: number;
  readonly perMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a client address, a session), held in this process's memory.
 * That is enough for the public tracking endpoint: it only has to keep one browser, or one
 * script gone wrong, from flooding the event store. Several processes behind a balancer
 * each allow the configured rate, so the installation allows that many times it.
 * At most `maxKeys` buckets are kept; the least recently used goes first, and a bucket it
 * drops was the one least likely to be short of tokens.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    readonly limits: BucketLimits,
    readonly maxKeys = 100_000,
  ) {
    this.#perMs = limits.perMinute / 60_000;
  }

  /** Takes a token for `key` at time `now` (ms): 0 when granted, else the seconds to wait. */
  take(key: string, now: number): number {
    const found = this.#buckets.get(key);
    const bucket = found ?? { tokens: this.limits.burst, at: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
    // Re-inserting moves the key to the end of the map's order: the front is least recent.
    if (found) this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.maxKeys) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  get size(): number {
    return this.#buckets.size;
  }
}

/** 429 with Retry-After and a JSON body in the surface's envelope. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number, what: string): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .type('application/json; charset=utf-8')
    .send({ errors: [{ type: 'rate_limited', message: `Too many requests from this ${what}; retry in ${retryAfterSeconds} s.`, parameter: null }] });
}
