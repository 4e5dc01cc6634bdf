/**
 * How a template reaches `approved`. SMS and any-platform templates of a business without
 * WhatsApp are approved when saved. The others wait for WhatsApp's review, which depends on the
 * provider of the business's WhatsApp channel: whatsapp-cloud submits them to Meta; any other
 * (dev-inbox) approves them itself after TEMPLATE_APPROVAL_DELAY_MS, so the whole flow works
 * offline. A template with an attachment header first waits for its download.
 */
import { enqueue } from '../../jobs/job-queue.js';
import type { TenantContext } from '../shared/tenant.js';
import { activeWhatsappProviders } from './templates.repository.js';

export const TEMPLATE_JOBS = {
  /** Downloads a header attachment; then starts the review, or rejects the template. */
  fetchAttachment: 'template.fetch_attachment',
  /** dev-inbox's stand-in for WhatsApp's review: approves a pending template. */
  approve: 'template.approve',
  /** Submits a template to the WhatsApp Cloud API for review (see docs/templates.md for what is missing). */
  submitWhatsapp: 'template.submit_whatsapp',
} as const;

/** Downloads are retried this many times (timeouts, 5xx) before the template is rejected. */
export const ATTACHMENT_ATTEMPTS = 3;

export interface TemplateJobPayload {
  readonly templateId: number;
}

export interface AttachmentJobPayload extends TemplateJobPayload {
  readonly mediaId: number;
}

const WHATSAPP_CLOUD = 'whatsapp-cloud';

/** Queues the review of a pending template, in the caller's transaction. */
export async function startReview(ctx: TenantContext, templateId: number): Promise<void> {
  const providers = await activeWhatsappProviders(ctx.tenant);
  const payload: TemplateJobPayload = { templateId };
  if (providers.includes(WHATSAPP_CLOUD)) {
    await enqueue(ctx.db, { kind: TEMPLATE_JOBS.submitWhatsapp, payload, businessId: ctx.businessId }, ctx);
    return;
  }
  const runAt = ctx.clock.now() + ctx.config.TEMPLATE_APPROVAL_DELAY_MS;
  await enqueue(ctx.db, { kind: TEMPLATE_JOBS.approve, payload, businessId: ctx.businessId, runAt }, ctx);
}

/** Queues the download of a header attachment, in the caller's transaction. */
export async function startAttachmentDownload(ctx: TenantContext, templateId: number, mediaId: number): Promise<void> {
  const payload: AttachmentJobPayload = { templateId, mediaId };
  await enqueue(ctx.db, { kind: TEMPLATE_JOBS.fetchAttachment, payload, businessId: ctx.businessId, maxAttempts: ATTACHMENT_ATTEMPTS }, ctx);
}
