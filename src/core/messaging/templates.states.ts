/**
 * State changes that come from outside a request: WhatsApp's review (through the provider's
 * webhook, or dev-inbox's stand-in job) and header downloads. Each is guarded by the states it
 * may leave, so a late or repeated answer changes nothing; each answers the template when it
 * moved, undefined when it did not.
 */
import { epochSeconds } from '../shared/clock.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { toTemplate, type Template } from './templates.model.js';
import { findTemplate, findTemplateByProviderId, findTemplateByProviderName, transitionTemplate, updateAdoptedTemplate } from './templates.repository.js';
import { startReview } from './templates.review.js';

const MAX_REASON = 1000;
const reasonText = (reason: string): string => reason.slice(0, MAX_REASON);

/** WhatsApp approved it (or lifted a pause). `providerTemplateId`: the provider's id, when it gave one. */
export async function approveTemplate(ctx: TenantContext, templateId: number, options: { providerTemplateId?: string } = {}): Promise<Template | undefined> {
  const now = epochSeconds(ctx.clock);
  const row = await transitionTemplate(ctx.tenant, templateId, ['pending', 'paused'], {
    state: 'approved',
    state_reason: null,
    approved_at: now,
    updated_at: now,
    ...(options.providerTemplateId === undefined ? {} : { provider_template_id: options.providerTemplateId }),
  });
  return row && toTemplate(row);
}

/** WhatsApp rejected it, or disabled it after approval. An update resubmits it. */
export async function rejectTemplate(ctx: TenantContext, templateId: number, reason: string): Promise<Template | undefined> {
  const now = epochSeconds(ctx.clock);
  const row = await transitionTemplate(ctx.tenant, templateId, ['pending', 'approved', 'paused'], { state: 'rejected', state_reason: reasonText(reason), updated_at: now });
  return row && toTemplate(row);
}

/** WhatsApp paused an approved template (low quality ratings); it cannot be sent until approved again. */
export async function pauseTemplate(ctx: TenantContext, templateId: number, reason: string): Promise<Template | undefined> {
  const now = epochSeconds(ctx.clock);
  const row = await transitionTemplate(ctx.tenant, templateId, ['approved'], { state: 'paused', state_reason: reasonText(reason), updated_at: now });
  return row && toTemplate(row);
}

/** For the provider's webhook: the template a provider's template id names. */
export async function templateByProviderId(ctx: TenantContext, providerTemplateId: string): Promise<Template | undefined> {
  const row = await findTemplateByProviderId(ctx.tenant, providerTemplateId);
  return row && toTemplate(row);
}

/** Whether the template's header is still the attachment stored as `mediaId`. */
const stillAttached = (template: Template, mediaId: number): boolean => template.header?.type === 'attachment' && template.header.mediaId === mediaId;

/** The header's file is stored: a template waiting for it goes on to WhatsApp's review. */
export async function attachmentStored(ctx: TenantContext, templateId: number, mediaId: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const row = await findTemplate(trx.tenant, templateId);
    if (!row) return;
    const template = toTemplate(row);
    if (stillAttached(template, mediaId) && template.state === 'pending' && template.targetsWhatsapp) await startReview(trx, template.id);
  });
}

/** The header's file could not be had: the template is rejected with the reason. */
export async function attachmentFailed(ctx: TenantContext, templateId: number, mediaId: number, reason: string): Promise<Template | undefined> {
  return inTransaction(ctx, async (trx) => {
    const row = await findTemplate(trx.tenant, templateId);
    if (!row || !stillAttached(toTemplate(row), mediaId)) return undefined;
    const moved = await transitionTemplate(trx.tenant, templateId, ['pending', 'approved'], { state: 'rejected', state_reason: reasonText(reason), updated_at: epochSeconds(ctx.clock) });
    return moved && toTemplate(moved);
  });
}

// ---------------------------------------------------------------------------------------------
// WhatsApp's review, through the provider (submission job, status webhook) or dev-inbox's
// stand-in. A template under review (`targetsWhatsapp`) moves through its states. An `any`
// template approved before the business had WhatsApp is *adopted*: it is submitted too, but
// keeps its approval, so SMS sends go on; WhatsApp's approval makes it a WhatsApp template
// (usable there, under WhatsApp's edit rules), a refusal is only recorded (an update
// resubmits it, as any update of an `any` template of a business with WhatsApp does).

/** WhatsApp approved the template (or lifted a pause). */
export async function whatsappApproved(ctx: TenantContext, templateId: number): Promise<Template | undefined> {
  const approved = await approveTemplate(ctx, templateId);
  if (approved) return approved;
  const adopted = await updateAdoptedTemplate(ctx.tenant, templateId, { targets_whatsapp: 1, state_reason: null, updated_at: epochSeconds(ctx.clock) });
  return adopted && toTemplate(adopted);
}

/** WhatsApp refused (or disabled) the template, or the submission failed for good. */
export async function whatsappRejected(ctx: TenantContext, templateId: number, reason: string): Promise<Template | undefined> {
  const row = await findTemplate(ctx.tenant, templateId);
  if (!row) return undefined;
  if (row.targets_whatsapp === 1) return rejectTemplate(ctx, templateId, reason);
  ctx.logger.warn({ businessId: ctx.businessId, templateId, reason }, 'WhatsApp refused a template approved for SMS: it stays usable on SMS only');
  const noted = await updateAdoptedTemplate(ctx.tenant, templateId, { state_reason: reasonText(reason), updated_at: epochSeconds(ctx.clock) });
  return noted && toTemplate(noted);
}

/** WhatsApp took the template for review as `providerTemplateId` (`category`: the one it filed it under). */
export async function whatsappSubmitted(ctx: TenantContext, templateId: number, submission: { providerTemplateId: string; category?: string | undefined }): Promise<Template | undefined> {
  const row = await transitionTemplate(ctx.tenant, templateId, ['pending', 'approved'], {
    provider_template_id: submission.providerTemplateId,
    submitted_at: epochSeconds(ctx.clock),
    ...(submission.category === undefined ? {} : { category: submission.category.slice(0, 32) }),
  });
  return row && toTemplate(row);
}

/** A status WhatsApp sent about a template (webhook `message_template_status_update`). */
export interface TemplateStatus {
  readonly providerTemplateId: string;
  /** APPROVED, REJECTED, PAUSED, DISABLED, REINSTATED, … */
  readonly event: string;
  readonly name?: string | undefined;
  readonly language?: string | undefined;
  readonly reason?: string | undefined;
}

/**
 * Applies WhatsApp's status to the business's template it names: APPROVED and REINSTATED
 * approve, REJECTED and DISABLED reject, PAUSED pauses; the others (FLAGGED, IN_APPEAL,
 * PENDING_DELETION, …) change nothing. Found by WhatsApp's id, or by name and language when
 * the status outran the submission's answer. Answers whether a template moved.
 */
export async function applyTemplateStatus(ctx: TenantContext, status: TemplateStatus): Promise<boolean> {
  const row = (await findTemplateByProviderId(ctx.tenant, status.providerTemplateId)) ?? (status.name ? await findTemplateByProviderName(ctx.tenant, status.name, status.language) : undefined);
  if (!row || row.deleted_at !== null) return false;
  if (row.provider_template_id === null) await transitionTemplate(ctx.tenant, row.id, ['pending', 'approved', 'paused', 'rejected'], { provider_template_id: status.providerTemplateId });
  const reason = status.reason ?? `${status.event.toLowerCase()} by WhatsApp`;
  switch (status.event) {
    case 'APPROVED':
    case 'REINSTATED':
      return (await whatsappApproved(ctx, row.id)) !== undefined;
    case 'REJECTED':
    case 'DISABLED':
      return (await whatsappRejected(ctx, row.id, reason)) !== undefined;
    case 'PAUSED':
      return (await pauseTemplate(ctx, row.id, reason)) !== undefined;
    default:
      return false;
  }
}
