/**
 * What the message engine asks of templates: which one a message may use on which technology,
 * and which dynamic short links it must be given (refusals name the message's parameters);
 * and the template as WhatsApp knows it, for its review and for template messages.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutboundTemplate } from '../../channels/provider.js';
import type { WhatsappCategory, WhatsappTemplateButton, WhatsappTemplateDefinition, WhatsappTemplateHeader } from '../../channels/whatsapp-cloud.templates.js';
import { invalid } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import type { Technology } from '../../store/tables.js';
import { findMedia } from './media.repository.js';
import { parseHellotextTags, type Segment } from './rendering/hellotext-tags.js';
import { addressText } from './rendering/property-text.js';
import { toTemplate, type Template, type TemplateHeader } from './templates.model.js';
import { dynamicShortlinks, resolveTemplate } from './templates.service.js';

/**
 * Whether an approved template may go out through `technology`. `any` covers every platform,
 * WhatsApp only once WhatsApp reviewed it (it was saved while WhatsApp was integrated); an SMS
 * template never goes to WhatsApp nor a WhatsApp template to SMS.
 */
export function templateUsableOn(template: Template, technology: Technology): boolean {
  if (template.state !== 'approved') return false;
  switch (template.technology) {
    case 'sms':
      return technology === 'sms';
    case 'whatsapp':
      return technology === 'whatsapp';
    case 'any':
      return technology !== 'whatsapp' || template.targetsWhatsapp;
  }
}

/** The template a message names, refused (`invalid` on `template`) unless it can be sent, through `technology` when known. */
export async function templateForSending(ctx: TenantContext, templateId: number, technology?: Technology): Promise<Template> {
  const template = toTemplate(await resolveTemplate(ctx, templateId, 'template'));
  if (template.state !== 'approved') throw invalid('template', `The template is ${template.state}: only approved templates can be sent.`);
  if (technology !== undefined && !templateUsableOn(template, technology)) {
    throw invalid('template', `This ${template.technology} template cannot be sent through ${technology}.`);
  }
  return template;
}

/** Refuses a message that leaves out the URL of one of its template's dynamic short links. */
export function assertShortlinksGiven(template: Pick<Template, 'body' | 'header'>, shortlinks: Readonly<Record<string, string>>): void {
  for (const name of dynamicShortlinks(template)) {
    const url = Object.hasOwn(shortlinks, name) ? shortlinks[name] : undefined;
    if (url === undefined || url.trim() === '') throw invalid(`template[shortlinks][${name}]`, `The template's short link {shortlink:${name}} needs its URL.`);
  }
}

// ---------------------------------------------------------------------------------------------
// WhatsApp: the same template as WhatsApp reviews it and as a template message names it. Tags
// become positional variables ({{1}}, {{2}}, … per component, every occurrence its own, in
// reading order), so a send's parameters are the tags' values rendered in that same order.

/** The category templates are submitted in: Hellotext templates are campaigns and offers. */
export const WHATSAPP_CATEGORY = 'MARKETING';
/** The language when neither the channel nor the business's country names one. */
export const DEFAULT_WHATSAPP_LANGUAGE = 'en_US';

/** WhatsApp's code for the main language of a country, where it has one; else the default. */
const COUNTRY_LANGUAGES: Readonly<Record<string, string>> = {
  AR: 'es_AR', MX: 'es_MX', ES: 'es_ES', UY: 'es', CL: 'es', CO: 'es', PE: 'es', PY: 'es', BO: 'es', EC: 'es', VE: 'es', CR: 'es', PA: 'es', GT: 'es', HN: 'es', SV: 'es', NI: 'es', DO: 'es', PR: 'es',
  BR: 'pt_BR', PT: 'pt_PT', US: 'en_US', GB: 'en_GB', IE: 'en', AU: 'en', NZ: 'en', CA: 'en', ZA: 'en', IN: 'en',
  NL: 'nl', FR: 'fr', DE: 'de', AT: 'de', IT: 'it',
};

export function whatsappLanguage(country: string): string {
  return COUNTRY_LANGUAGES[country.toUpperCase()] ?? DEFAULT_WHATSAPP_LANGUAGE;
}

/** WhatsApp's form of a name: lower-case letters, digits and underscores ("Día de la Madre" is dia_de_la_madre). */
export function whatsappName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 480);
  return slug === '' ? 'template' : slug;
}

/** A text with its tags as positional variables, and the tags in the order of their numbers. */
export function positionalText(text: string): { readonly text: string; readonly tags: readonly Segment[] } {
  const tags: Segment[] = [];
  let out = '';
  for (const segment of parseHellotextTags(text)) {
    if (segment.kind === 'text') out += segment.text;
    else if (segment.kind === 'malformed') out += segment.raw;
    else {
      tags.push(segment);
      out += `{{${tags.length}}}`;
    }
  }
  return { text: out, tags };
}

const SAMPLES: Readonly<Record<string, string>> = {
  name: 'Ana',
  full_name: 'Ana López',
  last_name: 'López',
  birthday: 'November 3, 1985',
  email: 'ana@example.com',
  phone: '+1 555 010 0199',
  address: '1 Main Street, Springfield',
  company: 'Acme',
  gender: 'female',
};

/** What WhatsApp's reviewers see in place of a tag: a plausible value, a short link as we make them. */
function sampleOf(segment: Segment, publicUrl: string): string {
  switch (segment.kind) {
    case 'property':
      return SAMPLES[segment.name] ?? `${segment.name} sample`;
    case 'shortlink':
    case 'dynamic_shortlink':
      return `${publicUrl}/s/Ab3dE9xQ`;
    case 'text':
      return segment.text;
    case 'malformed':
      return segment.raw;
  }
}

type MediaFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';
const mediaFormat = (contentType: string): MediaFormat => (contentType.startsWith('image/') ? 'IMAGE' : contentType.startsWith('video/') ? 'VIDEO' : 'DOCUMENT');

/** The header's stored file, for its sample (submission) or its kind (sending); undefined until it is ready. */
async function headerMedia(ctx: TenantContext, header: TemplateHeader | null): Promise<{ contentType: string; path: string } | undefined> {
  if (header?.type !== 'attachment' || header.mediaId === null) return undefined;
  const media = await findMedia(ctx.tenant, header.mediaId);
  if (media?.state !== 'ready' || media.content_type === null || media.path === null) return undefined;
  return { contentType: media.content_type, path: media.path };
}

const digitsOfPhone = (phone: string): string => `${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;

/** Why WhatsApp could not take this template as it is; undefined when it can. */
export function whatsappRefusal(template: Pick<Template, 'header'>): string | undefined {
  const header = template.header;
  if (header?.type === 'text' && positionalText(header.text).tags.length > 1) return 'WhatsApp allows at most one tag in a text header.';
  if (header?.type === 'address' && (!header.address.latitude || !header.address.longitude)) return 'A WhatsApp location header needs the address\'s latitude and longitude.';
  return undefined;
}

/**
 * The template as WhatsApp reviews it; undefined while its header file is not stored yet (the
 * download job starts the review once it is). Check whatsappRefusal first.
 */
export async function whatsappDefinition(ctx: TenantContext, template: Template, names: { name: string; language: string; category: WhatsappCategory }): Promise<WhatsappTemplateDefinition | undefined> {
  const sample = (segment: Segment) => sampleOf(segment, ctx.config.PUBLIC_URL);
  let header: WhatsappTemplateHeader | undefined;
  switch (template.header?.type) {
    case 'text': {
      const { text, tags } = positionalText(template.header.text);
      const [tag] = tags;
      header = { format: 'TEXT', text, ...(tag ? { example: sample(tag) } : {}) };
      break;
    }
    case 'attachment': {
      const media = await headerMedia(ctx, template.header);
      if (!media) return undefined;
      const content = await readFile(path.join(ctx.config.DATA_DIR, 'media', media.path));
      const filename = new URL(template.header.attachmentUrl).pathname.split('/').pop() || 'sample';
      header = { format: mediaFormat(media.contentType), sample: { content, contentType: media.contentType, filename } };
      break;
    }
    case 'address':
      header = { format: 'LOCATION' };
      break;
    case undefined:
      break;
  }
  const body = positionalText(template.body);
  const buttons = template.buttons.map((button): WhatsappTemplateButton => {
    switch (button.type) {
      case 'quick_reply':
        return { type: 'QUICK_REPLY', text: button.text };
      case 'url':
        return { type: 'URL', text: button.text, url: button.url };
      case 'phone':
        return { type: 'PHONE_NUMBER', text: button.text, phoneNumber: digitsOfPhone(button.phone) };
      case 'copy':
        return { type: 'COPY_CODE', example: button.copy };
    }
  });
  return {
    ...names,
    ...(header ? { header } : {}),
    body: { text: body.text, examples: body.tags.map(sample) },
    ...(template.footer === null ? {} : { footer: template.footer }),
    buttons,
  };
}

/** A template message as a send's content stores it (OutboundTemplate's shape, mutable). */
export interface WhatsappTemplateMessage extends OutboundTemplate {
  components: Array<Record<string, unknown>>;
}

/**
 * The template message a send carries on WhatsApp: the name and language it was approved
 * under, and as parameters the tags' values (`render` renders one tag for the profile) in the
 * order of their variables, the header's file or place, and the copy buttons' codes.
 */
export async function whatsappTemplateMessage(ctx: TenantContext, template: Template, render: (text: string) => Promise<string>): Promise<WhatsappTemplateMessage> {
  const components: Array<Record<string, unknown>> = [];
  const header = template.header;
  if (header?.type === 'text') {
    const [tag] = positionalText(header.text).tags;
    if (tag && tag.kind !== 'text') components.push({ type: 'header', parameters: [{ type: 'text', text: await render(tag.raw) }] });
  } else if (header?.type === 'attachment') {
    const media = await headerMedia(ctx, header);
    const kind = mediaFormat(media?.contentType ?? '').toLowerCase();
    components.push({ type: 'header', parameters: [{ type: kind, [kind]: { link: header.attachmentUrl } }] });
  } else if (header?.type === 'address') {
    const { latitude, longitude } = header.address;
    components.push({ type: 'header', parameters: [{ type: 'location', location: { latitude, longitude, address: addressText(header.address) } }] });
  }
  const parameters: Array<{ type: 'text'; text: string }> = [];
  for (const tag of positionalText(template.body).tags) if (tag.kind !== 'text') parameters.push({ type: 'text', text: await render(tag.raw) });
  if (parameters.length > 0) components.push({ type: 'body', parameters });
  template.buttons.forEach((button, index) => {
    if (button.type === 'copy') components.push({ type: 'button', sub_type: 'copy_code', index: String(index), parameters: [{ type: 'coupon_code', coupon_code: button.copy }] });
  });
  return {
    name: template.providerTemplateName ?? whatsappName(template.name),
    language: template.language ?? DEFAULT_WHATSAPP_LANGUAGE,
    components,
  };
}
