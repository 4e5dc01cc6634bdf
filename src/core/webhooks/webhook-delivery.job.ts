import { createHmac } from 'node:crypto';
import type { CoreContext } from '../context.js';
import { epochSeconds } from '../shared/clock.js';
import { forBusiness, type TenantContext } from '../shared/tenant.js';
import { PermanentJobError, type Job, type JobHandlers } from '../../jobs/job-handler.js';
import { isRetryable, OutboundError } from '../../net/outbound-client.js';
import { abandonDelivery, findDeliveryTarget, recordAttempt, type AttemptOutcome, type DeliveryTarget } from './webhook-deliveries.repository.js';
import { WEBHOOK_DELIVERY_JOB, type DeliveryJobPayload } from './webhooks.service.js';

/**
 * Sends one webhook delivery: a signed JSON POST through the guarded outbound client. A 2xx
 * answer delivers it; any other answer, a timeout or a network failure is recorded on the
 * delivery and thrown, so the job system retries with its backoff, until the last attempt
 * marks the delivery failed. A redirect is a failed attempt; refused addresses and the like
 * fail at once.
 */

/** Receivers answer with a status; a body is read only so far, to keep the connection reusable. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_ERROR = 500;

/** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, as docs/webhooks.md tells receivers to check. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The body of every attempt of a delivery: the same bytes each time, only the signature's time moves. */
export function deliveryBody(delivery: Pick<DeliveryTarget, 'uuid' | 'event' | 'created_at' | 'payload'>): string {
  const data: unknown = JSON.parse(delivery.payload);
  return JSON.stringify({ id: delivery.uuid, event: delivery.event, created_at: delivery.created_at, data });
}

function jobPayload(value: unknown): DeliveryJobPayload {
  if (typeof value === 'object' && value !== null && 'delivery' in value && 'maxAttempts' in value) {
    const { delivery, maxAttempts } = value;
    if (typeof delivery === 'number' && Number.isSafeInteger(delivery) && typeof maxAttempts === 'number' && Number.isSafeInteger(maxAttempts)) return { delivery, maxAttempts };
  }
  throw new PermanentJobError('a webhook delivery job needs {delivery, maxAttempts}');
}

/** One POST; what happened, as the delivery log shows it. */
async function attempt(ctx: TenantContext, target: DeliveryTarget): Promise<{ status: number | null; error: string | null; retryable: boolean }> {
  const body = deliveryBody(target);
  const timestamp = epochSeconds(ctx.clock);
  try {
    const response = await ctx.outbound.fetch(target.url, {
      method: 'POST',
      body,
      maxBytes: MAX_RESPONSE_BYTES,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'hellohub-webhooks/1',
        'x-hellohub-event': target.event,
        'x-hellohub-delivery': target.uuid,
        'x-hellohub-timestamp': String(timestamp),
        'x-hellohub-signature': webhookSignature(target.secret, timestamp, body),
      },
    });
    // A 301/302 would have turned the POST into a body-less GET whose 2xx proves nothing, so
    // like GitHub and Stripe we count no redirect as delivered: register the final URL.
    if (response.url !== new URL(target.url).href) return { status: null, error: `The receiver redirected to ${response.url}; register that URL instead.`, retryable: true };
    if (response.status >= 200 && response.status < 300) return { status: response.status, error: null, retryable: false };
    return { status: response.status, error: `The receiver answered HTTP ${response.status}.`, retryable: true };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    // A receiver that answers with more than we read did answer; the size is no reason to
    // give up on it, so it is retried like any failed attempt.
    return { status: null, error: error.message, retryable: isRetryable(error) || error.reason === 'too_large' };
  }
}

export async function deliverWebhook(ctx: CoreContext, job: Job): Promise<void> {
  const { delivery, maxAttempts } = jobPayload(job.payload);
  if (job.businessId === null) throw new PermanentJobError('a webhook delivery job needs its business');
  const tenant = forBusiness(ctx, job.businessId);
  const target = await findDeliveryTarget(tenant.tenant, delivery);
  // Deleted with its webhook, or settled by an earlier run of this job: nothing left to do.
  if (!target || target.state !== 'pending') return;
  if (target.active === 0) {
    await abandonDelivery(tenant.tenant, target.id, 'The webhook was deactivated before this delivery was sent.');
    return;
  }
  const result = await attempt(tenant, target);
  const now = epochSeconds(ctx.clock);
  const last = !result.retryable || job.attempt >= maxAttempts;
  const outcome: AttemptOutcome =
    result.error === null
      ? { state: 'delivered', responseStatus: result.status, error: null, deliveredAt: now }
      : { state: last ? 'failed' : 'pending', responseStatus: result.status, error: result.error.slice(0, MAX_ERROR), deliveredAt: null };
  await recordAttempt(tenant.tenant, target.id, outcome);
  // Thrown only while attempts remain: the job system waits its backoff and runs this again.
  // After the last one the delivery says "failed" and the job is done.
  if (outcome.state === 'pending') throw new Error(result.error ?? 'webhook delivery failed');
}

/** The job kinds of this module, bound to the context the worker runs with. */
export function webhookJobHandlers(ctx: CoreContext): JobHandlers {
  return { [WEBHOOK_DELIVERY_JOB]: (job) => deliverWebhook(ctx, job) };
}
