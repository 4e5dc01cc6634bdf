/**
 * What the message engine asks of templates: which one a message may use on which technology,
 * and which dynamic short links it must be given. Refusals name the message's parameters.
 */
import { invalid } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import type { Technology } from '../../store/tables.js';
import { toTemplate, type Template } from './templates.model.js';
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
