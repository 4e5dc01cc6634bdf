/** Small pieces every signed webhook needs: one header value and a comparison that leaks no timing. */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from './provider.js';

/** The header's value, or its first value when repeated; undefined when absent. */
export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Constant-time equality of two strings. Both are hashed first so that neither the position
 * of the first difference nor a difference in length shows in the time taken.
 */
export function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
