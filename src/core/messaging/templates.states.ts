/**
 * State changes that come from outside a request: WhatsApp's review (through the provider's
 * webhook, or dev-inbox's stand-in job) and header downloads. Each is guarded by the states it
 * may leave, so a late or repeated answer changes nothing; each answers the template when it
 * moved, undefined when it did not.
 */
import { epochSeconds } from '../shared/clock.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { toTemplate, type Template } from './templates.model.js';
import { findTemplate, findTemplateByProviderId, transitionTemplate } from './templates.repository.js';
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
