/**
 * How a template reaches `approved`. SMS and any-platform templates of a business without
 * WhatsApp are approved when saved. The others wait for WhatsApp's review, which depends on the
 * provider of the business's WhatsApp channel: whatsapp-cloud submits them to Meta; any other
 * (dev-inbox) approves them itself after TEMPLATE_APPROVAL_DELAY_MS, so the whole flow works
 * offline. A template with an attachment header first waits for its download.
 */
import { enqueue } from '../../jobs/job-queue.js';
import type { TenantContext } from '../shared/tenant.js';
import { activeWhatsappProviders, templatesAwaitingWhatsapp } from './templates.repository.js';

export const TEMPLATE_JOBS = {
  /** Downloads a header attachment; then starts the review, or rejects the template. */
  fetchAttachment: 'template.fetch_attachment',
  /** dev-inbox's stand-in for WhatsApp's review: approves a pending template. */
  approve: 'template.approve',
  /** Submits a template (or its edit) to the WhatsApp Cloud API for review. */
  submitWhatsapp: 'template.submit_whatsapp',
  /** Deletes a deleted template from the WhatsApp Cloud account, best effort. */
  deleteWhatsapp: 'template.delete_whatsapp',
} as const;

/** Downloads are retried this many times (timeouts, 5xx) before the template is rejected. */
export const ATTACHMENT_ATTEMPTS = 3;
/** Submissions are tried this many times (timeouts, 5xx, rate limits) before the template is rejected. */
export const SUBMIT_ATTEMPTS = 6;

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
    await enqueue(ctx.db, { kind: TEMPLATE_JOBS.submitWhatsapp, payload, businessId: ctx.businessId, maxAttempts: SUBMIT_ATTEMPTS }, ctx);
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

/** Queues the deletion of a submitted template from the WhatsApp Cloud account, in the caller's transaction. */
export async function startWhatsappDeletion(ctx: TenantContext, templateId: number): Promise<void> {
  if (!(await activeWhatsappProviders(ctx.tenant)).includes(WHATSAPP_CLOUD)) return;
  const payload: TemplateJobPayload = { templateId };
  await enqueue(ctx.db, { kind: TEMPLATE_JOBS.deleteWhatsapp, payload, businessId: ctx.businessId }, ctx);
}

/**
 * The business has a new (or newly configured) active WhatsApp channel: its `any` templates
 * target WhatsApp too (the reference: "a WhatsApp template is automatically created"), so
 * each goes to WhatsApp's review, keeping its approval for SMS meanwhile; with WhatsApp Cloud,
 * pending templates whose submission never got through (a channel without its account id)
 * are submitted again. Runs in the caller's transaction; the jobs change nothing twice.
 */
export async function reviewForWhatsapp(ctx: TenantContext): Promise<void> {
  const providers = await activeWhatsappProviders(ctx.tenant);
  if (providers.length === 0) return;
  for (const id of await templatesAwaitingWhatsapp(ctx.tenant, { pending: providers.includes(WHATSAPP_CLOUD) })) await startReview(ctx, id);
}
