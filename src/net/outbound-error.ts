/**
 * The closed set of ways an outbound fetch fails. HTTP answers, 4xx and 5xx included, are
 * results, not errors: the caller knows what a 429 or a 410 means for its own work.
 */
export type OutboundErrorReason =
  /** The host is, or resolves to, an address outbound requests may not reach. */
  | 'blocked_address'
  /** Not an absolute http(s) URL, for the request or for a redirect target. */
  | 'invalid_url'
  /** The whole exchange, redirects and body included, ran past its time limit. */
  | 'timeout'
  /** The response body is larger than the caller accepts. */
  | 'too_large'
  /** More redirects than the client follows. */
  | 'too_many_redirects'
  /** DNS, TCP or TLS failed, or the connection broke mid-response. */
  | 'network';

export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

/**
 * Whether trying the same request later may succeed, for jobs choosing between a retry and a
 * dead job. Anything but an OutboundError is a bug, and a bug does not heal by waiting.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof OutboundError)) return false;
  switch (error.reason) {
    case 'timeout':
    case 'network':
      return true;
    case 'blocked_address':
    case 'invalid_url':
    case 'too_large':
    case 'too_many_redirects':
      return false;
    default: {
      const unhandled: never = error.reason;
      throw new Error(`unhandled outbound error reason: ${String(unhandled)}`);
    }
  }
}
