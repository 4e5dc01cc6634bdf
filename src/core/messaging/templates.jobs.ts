/**
 * The worker's side of templates: header downloads, dev-inbox's review, and the WhatsApp Cloud
 * submission. Each handler may run twice for one job (a worker can die after the work); the
 * state guards of templates.states.ts make a second run change nothing.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { CoreContext } from '../context.js';
import { PermanentJobError, type Job, type JobHandlers } from '../../jobs/job-handler.js';
import { forBusiness, type TenantContext } from '../shared/tenant.js';
import { downloadMedia, failMedia } from './media.service.js';
import { findTemplate } from './templates.repository.js';
import { ATTACHMENT_ATTEMPTS, TEMPLATE_JOBS } from './templates.review.js';
import { approveTemplate, attachmentFailed, attachmentStored } from './templates.states.js';

const TemplatePayload = Type.Object({ templateId: Type.Integer() });
const AttachmentPayload = Type.Object({ templateId: Type.Integer(), mediaId: Type.Integer() });

function payloadOf<S extends TSchema>(schema: S, job: Job): Static<S> {
  if (!Value.Check(schema, job.payload)) throw new PermanentJobError(`job ${job.id} (${job.kind}) has an unreadable payload`);
  return job.payload;
}

function tenantOf(ctx: CoreContext, job: Job): TenantContext {
  if (job.businessId === null) throw new PermanentJobError(`job ${job.id} (${job.kind}) belongs to no business`);
  return forBusiness(ctx, job.businessId);
}

/**
 * WhatsApp takes the header's image, video or document only within its limits. A retryable
 * failure (timeout, 5xx) is retried by the worker's backoff; the last attempt gives up.
 */
async function fetchAttachment(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId, mediaId } = payloadOf(AttachmentPayload, job);
  const tenant = tenantOf(ctx, job);
  const outcome = await downloadMedia(tenant, mediaId, 'whatsapp');
  switch (outcome.kind) {
    case 'ready':
      await attachmentStored(tenant, templateId, mediaId);
      return;
    case 'retryable':
      if (job.attempt < ATTACHMENT_ATTEMPTS) throw new Error(outcome.reason);
      await failMedia(tenant, mediaId, outcome.reason);
      await attachmentFailed(tenant, templateId, mediaId, outcome.reason);
      return;
    case 'failed':
      await attachmentFailed(tenant, templateId, mediaId, outcome.reason);
      return;
  }
}

/** dev-inbox stands in for WhatsApp's review: what is still pending when the delay is over is approved. */
async function approveAfterDelay(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId } = payloadOf(TemplatePayload, job);
  await approveTemplate(tenantOf(ctx, job), templateId);
}

/**
 * Submission to the WhatsApp Cloud API. The provider layer (src/channels) has no template
 * call yet, so the template stays `pending` until one exists and the provider's
 * `message_template_status_update` webhook calls approveTemplate, rejectTemplate or
 * pauseTemplate (see docs/templates.md).
 */
async function submitToWhatsappCloud(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId } = payloadOf(TemplatePayload, job);
  const tenant = tenantOf(ctx, job);
  const row = await findTemplate(tenant.tenant, templateId);
  if (row?.state !== 'pending') return;
  ctx.logger.warn({ businessId: tenant.businessId, templateId }, 'whatsapp-cloud template submission is not implemented: the template stays pending');
}

export function templateJobHandlers(ctx: CoreContext): JobHandlers {
  return {
    [TEMPLATE_JOBS.fetchAttachment]: (job) => fetchAttachment(ctx, job),
    [TEMPLATE_JOBS.approve]: (job) => approveAfterDelay(ctx, job),
    [TEMPLATE_JOBS.submitWhatsapp]: (job) => submitToWhatsappCloud(ctx, job),
  };
}
