/**
 * The HTTP half of the error mapping shared by the HTTP providers (http-sms, WhatsApp Cloud):
 * how a failed fetch and a Retry-After header become a SendOutcome. What a 4xx body means is
 * each provider's own business.
 */

import { OutboundError, isRetryable } from '../net/outbound-client.js';
import type { SendOutcome } from './provider.js';

/** Longest wait honoured from a Retry-After; a peer asking for more gets the job's own backoff. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** A fetch that threw: timeouts and network failures may pass on a later try; a refused address will not. */
export function failedFetch(error: unknown, peer: string): SendOutcome {
  if (!(error instanceof OutboundError)) throw error;
  if (isRetryable(error)) return { kind: 'retryable', reason: `${peer}: ${error.message}` };
  return { kind: 'permanent', reason: `${peer}: ${error.message}`, code: error.reason };
}

/** The part of the mapping every HTTP peer shares: 429 and 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
