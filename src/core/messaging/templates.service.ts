import { businessCountry } from '../business/business-country.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, notFound, refusingDuplicates } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { deleteMediaRow, findMedia } from './media.repository.js';
import { recordMedia, removeUnusedFile } from './media.service.js';
import { tagVocabulary } from './rendering/profile-tags.js';
import { dynamicShortlinkNames } from './rendering/hellotext-tags.js';
import { templateEngine } from './rendering/renderer.js';
import {
  checkComponents,
  checkedBody,
  checkedButtons,
  checkedFooter,
  checkedHeader,
  checkedName,
  checkedTechnology,
  type ButtonInput,
  type Components,
  type HeaderInput,
} from './template-rules.js';
import { buttonsJson, headerJson, toTemplate, type Template, type TemplateHeader, type TemplateRow, type TemplateTechnology } from './templates.model.js';
import { activeWhatsappProviders, deletedApprovedWhatsappName, findTemplate, findTemplateByName, insertTemplate, pageOfTemplates, updateTemplateRow } from './templates.repository.js';
import { startAttachmentDownload, startReview, startWhatsappDeletion } from './templates.review.js';

export type { ButtonInput, HeaderInput } from './template-rules.js';
export type { Template, TemplateButton, TemplateHeader } from './templates.model.js';

/** Parameters as given: `undefined` is "not given", `null` an explicit null (which removes optional parts). */
export interface TemplateInput {
  readonly name?: string | null | undefined;
  readonly technology?: string | null | undefined;
  readonly body?: string | null | undefined;
  readonly footer?: string | null | undefined;
  readonly header?: HeaderInput | null | undefined;
  readonly buttons?: readonly ButtonInput[] | undefined;
}

const DAY = 86_400;
/** WhatsApp keeps the name of a deleted approved template this long. */
const NAME_LOCK_SECONDS = 30 * DAY;

const duplicate = (name: string) => `A template named "${name}" already exists.`;

async function assertNameFree(ctx: TenantContext, name: string, exceptId?: number): Promise<void> {
  const holder = await findTemplateByName(ctx.tenant, name);
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', duplicate(name), 'name');
  const locked = await deletedApprovedWhatsappName(ctx.tenant, name, epochSeconds(ctx.clock) - NAME_LOCK_SECONDS);
  if (locked?.deleted_at != null) {
    const days = Math.ceil((locked.deleted_at + NAME_LOCK_SECONDS - epochSeconds(ctx.clock)) / DAY);
    throw new DomainError('not_unique', `An approved WhatsApp template named "${name}" was deleted recently; WhatsApp keeps its name for 30 days (${days} more).`, 'name');
  }
}

/** Every tag of the texts given must be one the business has; the first problem is the answer. */
async function checkTags(ctx: TenantContext, texts: ReadonlyArray<readonly [parameter: string, text: string | undefined]>): Promise<void> {
  if (texts.every(([, text]) => text === undefined)) return;
  const engine = templateEngine('hellotext', await tagVocabulary(ctx));
  for (const [parameter, text] of texts) {
    const [problem] = text === undefined ? [] : engine.check(text);
    if (problem) throw invalid(parameter, problem.message);
  }
}

const headerText = (header: TemplateHeader | null | undefined): string | undefined => (header?.type === 'text' ? header.text : undefined);

/** Whether the template goes through WhatsApp's review, given the business's WhatsApp channels. */
async function reviewedByWhatsapp(ctx: TenantContext, technology: TemplateTechnology): Promise<boolean> {
  const whatsapp = (await activeWhatsappProviders(ctx.tenant)).length > 0;
  if (technology === 'whatsapp' && !whatsapp) throw invalid('technology', 'WhatsApp templates need an active WhatsApp channel: add one first.');
  return technology === 'whatsapp' || (technology === 'any' && whatsapp);
}

/** The country an address header is read in, asked only when one is given. */
async function headerOf(ctx: TenantContext, input: HeaderInput | null | undefined): Promise<TemplateHeader | null | undefined> {
  const country = input?.type?.trim().toLowerCase() === 'address' ? await businessCountry(ctx) : '';
  return checkedHeader(input, country);
}

/** The review or download the saved template needs next, in the same transaction. */
async function scheduleAfterSave(ctx: TenantContext, row: TemplateRow, download: number | null): Promise<void> {
  if (download !== null) await startAttachmentDownload(ctx, row.id, download);
  else if (row.state === 'pending') await startReview(ctx, row.id);
}

export async function createTemplate(ctx: TenantContext, input: TemplateInput): Promise<Template> {
  const name = checkedName(input.name, true) ?? '';
  const body = checkedBody(input.body, true) ?? '';
  const technology = checkedTechnology(input.technology) ?? 'any';
  const components: Components = {
    body,
    header: (await headerOf(ctx, input.header)) ?? null,
    footer: checkedFooter(input.footer) ?? null,
    buttons: checkedButtons(input.buttons) ?? [],
  };
  checkComponents(technology, components);
  await checkTags(ctx, [
    ['body', body],
    ['header[text]', headerText(components.header)],
  ]);
  return inTransaction(ctx, async (trx) => {
    const whatsapp = await reviewedByWhatsapp(trx, technology);
    await assertNameFree(trx, name);
    const now = epochSeconds(ctx.clock);
    let header = components.header;
    if (header?.type === 'attachment') header = { ...header, mediaId: (await recordMedia(trx, header.attachmentUrl)).id };
    const values = {
      name,
      technology,
      body,
      header: headerJson(header),
      footer: components.footer,
      buttons: buttonsJson(components.buttons),
      state: whatsapp ? ('pending' as const) : ('approved' as const),
      approved_at: whatsapp ? null : now,
      targets_whatsapp: whatsapp ? (1 as const) : (0 as const),
    };
    const row = await refusingDuplicates(ctx.caps, 'name', duplicate(name), () => insertTemplate(trx.tenant, values, now));
    await scheduleAfterSave(trx, row, header?.type === 'attachment' ? header.mediaId : null);
    return toTemplate(row);
  });
}

/**
 * A template that was not deleted, or `not_found` about `parameter`. Inside a transaction on
 * PostgreSQL the row stays locked, so two concurrent edits cannot both pass WhatsApp's
 * once-a-day rule (SQLite runs one writer at a time anyway).
 */
export async function resolveTemplate(ctx: TenantContext, id: number, parameter = 'id'): Promise<TemplateRow> {
  const row = await findTemplate(ctx.tenant, id, { lock: ctx.caps.rowLocks && ctx.db.isTransaction });
  if (!row) throw notFound('Template', parameter);
  return row;
}

export async function getTemplate(ctx: TenantContext, id: number): Promise<Template> {
  return toTemplate(await resolveTemplate(ctx, id));
}

export async function listTemplates(ctx: TenantContext, bounds: KeyBounds): Promise<Template[]> {
  return (await pageOfTemplates(ctx.tenant, bounds)).map(toTemplate);
}

/**
 * The media a saved attachment header keeps: the current download when the URL is the same
 * and it did not fail; otherwise a new one (null: none needed). Answers the media to drop.
 */
async function attachmentMedia(ctx: TenantContext, before: TemplateHeader | null, after: TemplateHeader | null): Promise<{ header: TemplateHeader | null; download: number | null; drop: number | null }> {
  const old = before?.type === 'attachment' ? before.mediaId : null;
  if (after?.type !== 'attachment') return { header: after, download: null, drop: old };
  if (before?.type === 'attachment' && before.attachmentUrl === after.attachmentUrl && old !== null) {
    const media = await findMedia(ctx.tenant, old);
    if (media && media.state !== 'failed') return { header: { ...after, mediaId: old }, download: null, drop: null };
  }
  const media = await recordMedia(ctx, after.attachmentUrl);
  return { header: { ...after, mediaId: media.id }, download: media.id, drop: old };
}

const sameComponents = (template: Template, technology: TemplateTechnology, components: Components): boolean =>
  template.technology === technology &&
  template.body === components.body &&
  template.footer === components.footer &&
  headerJson(template.header) === headerJson(components.header) &&
  buttonsJson(template.buttons) === buttonsJson(components.buttons);

/** WhatsApp's edit rules: only approved, rejected or paused templates, at most once a day. */
function assertEditable(template: Template, now: number): void {
  if (!template.targetsWhatsapp) return;
  if (template.state === 'pending') throw new DomainError('invalid', 'A WhatsApp template cannot be edited while WhatsApp reviews it.');
  if (template.editedAt !== null && now - template.editedAt < DAY) {
    throw new DomainError('invalid', 'A WhatsApp template can be edited once a day; try again 24 hours after the last edit.');
  }
}

/**
 * A partial update: what is not given is kept. An edit of a WhatsApp template sends it back to
 * review; any other is approved at once. An update that changes nothing changes no state.
 */
export async function updateTemplate(ctx: TenantContext, id: number, input: TemplateInput): Promise<Template> {
  const technologyGiven = checkedTechnology(input.technology);
  const bodyGiven = checkedBody(input.body, false);
  const footerGiven = checkedFooter(input.footer);
  const buttonsGiven = checkedButtons(input.buttons);
  const headerGiven = await headerOf(ctx, input.header);
  await checkTags(ctx, [
    ['body', bodyGiven],
    ['header[text]', headerText(headerGiven)],
  ]);
  const dropped: string[] = [];
  const template = await inTransaction(ctx, async (trx) => {
    const current = toTemplate(await resolveTemplate(trx, id));
    // WhatsApp names cannot change: a name given for them is ignored, as the reference says.
    const name = current.targetsWhatsapp ? current.name : (checkedName(input.name, false) ?? current.name);
    const technology = technologyGiven ?? current.technology;
    const merged: Components = {
      body: bodyGiven ?? current.body,
      header: headerGiven === undefined ? current.header : headerGiven,
      footer: footerGiven === undefined ? current.footer : footerGiven,
      buttons: buttonsGiven ?? current.buttons,
    };
    checkComponents(technology, merged);
    // The reference: "Update the template to resubmit for approval", so a rejected one goes
    // back even unchanged (a failed download is tried again).
    if (name === current.name && sameComponents(current, technology, merged) && current.state !== 'rejected') return current;

    const now = epochSeconds(ctx.clock);
    assertEditable(current, now);
    const whatsapp = await reviewedByWhatsapp(trx, technology);
    if (name !== current.name) await assertNameFree(trx, name, current.id);
    const { header, download, drop } = await attachmentMedia(trx, current.header, merged.header);
    const droppedFile = drop === null ? null : await deleteMediaRow(trx.tenant, drop);
    if (droppedFile !== null) dropped.push(droppedFile);
    const changes = {
      name,
      technology,
      body: merged.body,
      header: headerJson(header),
      footer: merged.footer,
      buttons: buttonsJson(merged.buttons),
      state: whatsapp ? ('pending' as const) : ('approved' as const),
      state_reason: null,
      approved_at: whatsapp ? null : now,
      targets_whatsapp: whatsapp ? (1 as const) : (0 as const),
      // The new version is WhatsApp's to review again (an edit of the template it knows).
      submitted_at: null,
      edited_at: now,
      updated_at: now,
    };
    const row = await refusingDuplicates(ctx.caps, 'name', duplicate(name), () => updateTemplateRow(trx.tenant, current.id, changes));
    await scheduleAfterSave(trx, row, download);
    return toTemplate(row);
  });
  // The reference: a replaced attachment is deleted from our servers. Files go after the
  // commit, so a rolled-back update never loses one.
  for (const sha256 of dropped) await removeUnusedFile(ctx, sha256);
  return template;
}

/**
 * Deleted templates are kept for the messages sent with them, but cannot be read or used
 * again; their name is free at once, except an approved WhatsApp template's (30 days). One
 * WhatsApp Cloud took for review is deleted there too, by a job.
 */
export async function deleteTemplate(ctx: TenantContext, id: number): Promise<Template> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveTemplate(trx, id);
    const now = epochSeconds(ctx.clock);
    const deleted = await updateTemplateRow(trx.tenant, row.id, { deleted_at: now, updated_at: now });
    if (deleted.provider_template_name !== null) await startWhatsappDeletion(trx, row.id);
    return toTemplate(deleted);
  });
}

/** Names of the dynamic short links (`{shortlink:name}`) whose URLs a message must give. */
export function dynamicShortlinks(template: Pick<Template, 'body' | 'header'>): string[] {
  return [...new Set([...dynamicShortlinkNames(template.body), ...dynamicShortlinkNames(headerText(template.header) ?? '')])];
}
