/**
 * The worker's side of templates: header downloads, dev-inbox's review, and the WhatsApp Cloud
 * submission and deletion. Each handler may run twice for one job (a worker can die after the work); the
 * state guards of templates.states.ts make a second run change nothing.
 */
import { Type } from 'typebox';
import type { CoreContext } from '../context.js';
import type { Job, JobHandlers } from '../../jobs/job-handler.js';
import { jobPayload, jobTenant } from '../shared/job-input.js';
import type { TenantContext } from '../shared/tenant.js';
import { downloadMedia, failMedia } from './media.service.js';
import { InvalidSettingsError } from '../../channels/provider-definition.js';
import type { ProviderDeps } from '../../channels/provider.js';
import type { WhatsappCloudSettings } from '../../channels/whatsapp-cloud.provider.js';
import { deleteWhatsappTemplate, submitWhatsappTemplate, whatsappSettings, type WhatsappCategory } from '../../channels/whatsapp-cloud.templates.js';
import { createAddressPolicy } from '../../net/address-policy.js';
import { businessCountry } from '../business/business-country.js';
import { storedSettings, type ChannelRow } from './channels.model.js';
import { toTemplate, type Template } from './templates.model.js';
import { activeWhatsappCloudChannel, findTemplate, findTemplateRow, providerNameTaken, transitionTemplate } from './templates.repository.js';
import { ATTACHMENT_ATTEMPTS, SUBMIT_ATTEMPTS, TEMPLATE_JOBS } from './templates.review.js';
import { whatsappLanguage, whatsappName, whatsappDefinition, whatsappRefusal, WHATSAPP_CATEGORY } from './templates.sending.js';
import { attachmentFailed, attachmentStored, whatsappApproved, whatsappRejected, whatsappSubmitted } from './templates.states.js';

/** The category stored (WhatsApp may have filed it under another), else ours. */
const whatsappCategory = (stored: string | null): WhatsappCategory => (stored === 'UTILITY' || stored === 'AUTHENTICATION' || stored === 'MARKETING' ? stored : WHATSAPP_CATEGORY);

const TemplatePayload = Type.Object({ templateId: Type.Integer() });
const AttachmentPayload = Type.Object({ templateId: Type.Integer(), mediaId: Type.Integer() });

/**
 * WhatsApp takes the header's image, video or document only within its limits. A retryable
 * failure (timeout, 5xx) is retried by the worker's backoff; the last attempt gives up.
 */
async function fetchAttachment(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId, mediaId } = jobPayload(AttachmentPayload, job);
  const tenant = jobTenant(ctx, job);
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
  const { templateId } = jobPayload(TemplatePayload, job);
  await whatsappApproved(jobTenant(ctx, job), templateId);
}

const WHATSAPP_STATUS_APPROVED = 'APPROVED';
const WHATSAPP_STATUS_REJECTED = 'REJECTED';

function providerDeps(ctx: CoreContext): ProviderDeps {
  return { logger: ctx.logger, outbound: ctx.outbound, addressPolicy: createAddressPolicy({ allowPrivateUrls: ctx.config.ALLOW_PRIVATE_URLS }), clock: ctx.clock };
}

/** The channel's settings, or undefined (logged) when they fail their schema: a bug, not the template's fault. */
function settingsOf(ctx: TenantContext, channel: ChannelRow): WhatsappCloudSettings | undefined {
  try {
    return whatsappSettings(storedSettings(channel));
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    ctx.logger.error({ err: error, businessId: ctx.businessId, channel: channel.id }, 'the WhatsApp Cloud channel has invalid settings: templates cannot be submitted');
    return undefined;
  }
}

/** Whether WhatsApp still has to take this version: a pending one under review, or an adopted `any` one. */
const awaitingWhatsapp = (template: Template): boolean =>
  template.submittedAt === null && (template.targetsWhatsapp ? template.state === 'pending' : template.technology === 'any' && template.state === 'approved');

/** The name WhatsApp will know the template by: its own, in WhatsApp's form, made unique with our id when another took it. */
async function providerNameOf(ctx: TenantContext, template: Template): Promise<string> {
  if (template.providerTemplateName !== null) return template.providerTemplateName;
  const name = whatsappName(template.name);
  return (await providerNameTaken(ctx.tenant, name, template.id)) ? `${name}_${template.id}` : name;
}

/**
 * Submits a template (or an edit of one) to the WhatsApp Cloud API. Its name, language and
 * category are recorded first, so a retry submits the same and, when WhatsApp already took it,
 * finds it instead of failing. An immediate verdict applies at once; otherwise the status
 * webhook brings it. Timeouts, 5xx and rate limits retry with the worker's backoff; anything
 * else, or the last attempt, rejects the template with the reason.
 */
async function submitToWhatsappCloud(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId } = jobPayload(TemplatePayload, job);
  const tenant = jobTenant(ctx, job);
  const row = await findTemplate(tenant.tenant, templateId);
  if (!row || !awaitingWhatsapp(toTemplate(row))) return;
  const channel = await activeWhatsappCloudChannel(tenant.tenant);
  if (!channel) {
    ctx.logger.warn({ businessId: tenant.businessId, templateId }, 'no active WhatsApp Cloud channel to submit the template to; it waits for one');
    return;
  }
  const settings = settingsOf(tenant, channel);
  if (!settings) return;
  let template = toTemplate(row);
  const refusal = whatsappRefusal(template);
  if (refusal) {
    await whatsappRejected(tenant, templateId, refusal);
    return;
  }
  const names = {
    name: await providerNameOf(tenant, template),
    language: template.language ?? settings.templateLanguage ?? whatsappLanguage(await businessCountry(tenant)),
    category: whatsappCategory(template.category),
  };
  const recorded = await transitionTemplate(tenant.tenant, template.id, [template.state], { provider_template_name: names.name, language: names.language, category: names.category });
  // Deleted or moved meanwhile: nothing to submit.
  if (!recorded) return;
  template = toTemplate(recorded);
  const definition = await whatsappDefinition(tenant, template, names);
  // The header's file is not stored yet: its download starts the review when it is.
  if (!definition) return;

  const outcome = await submitWhatsappTemplate(settings, providerDeps(ctx), definition, template.providerTemplateId);
  switch (outcome.kind) {
    case 'submitted': {
      if (outcome.adopted) ctx.logger.info({ businessId: tenant.businessId, templateId, providerTemplateId: outcome.id }, 'WhatsApp already had the template: its id is recorded');
      await whatsappSubmitted(tenant, templateId, { providerTemplateId: outcome.id, category: outcome.category });
      if (outcome.status === WHATSAPP_STATUS_APPROVED) await whatsappApproved(tenant, templateId);
      if (outcome.status === WHATSAPP_STATUS_REJECTED) await whatsappRejected(tenant, templateId, outcome.reason ?? 'rejected by WhatsApp');
      return;
    }
    case 'retryable':
      if (job.attempt < SUBMIT_ATTEMPTS) throw new Error(outcome.reason);
      await whatsappRejected(tenant, templateId, `WhatsApp could not be reached (${outcome.reason}); update the template to submit it again`);
      return;
    case 'permanent':
      await whatsappRejected(tenant, templateId, outcome.reason);
      return;
  }
}

/**
 * Deletes a deleted template from the WhatsApp Cloud account, so it stops counting against
 * the account's limit. Best effort: retried on timeouts and 5xx, given up (logged) otherwise;
 * our copy is deleted either way.
 */
async function deleteFromWhatsappCloud(ctx: CoreContext, job: Job): Promise<void> {
  const { templateId } = jobPayload(TemplatePayload, job);
  const tenant = jobTenant(ctx, job);
  const row = await findTemplateRow(tenant.tenant, templateId);
  if (row?.deleted_at == null || row.provider_template_name === null) return;
  const channel = await activeWhatsappCloudChannel(tenant.tenant);
  const settings = channel && settingsOf(tenant, channel);
  if (!settings) return;
  const outcome = await deleteWhatsappTemplate(settings, providerDeps(ctx), { name: row.provider_template_name, id: row.provider_template_id });
  if (outcome.kind === 'retryable') throw new Error(outcome.reason);
  if (outcome.kind === 'permanent') ctx.logger.warn({ businessId: tenant.businessId, templateId, reason: outcome.reason }, 'WhatsApp did not delete the template');
}

export function templateJobHandlers(ctx: CoreContext): JobHandlers {
  return {
    [TEMPLATE_JOBS.fetchAttachment]: (job) => fetchAttachment(ctx, job),
    [TEMPLATE_JOBS.approve]: (job) => approveAfterDelay(ctx, job),
    [TEMPLATE_JOBS.submitWhatsapp]: (job) => submitToWhatsappCloud(ctx, job),
    [TEMPLATE_JOBS.deleteWhatsapp]: (job) => deleteFromWhatsappCloud(ctx, job),
  };
}
