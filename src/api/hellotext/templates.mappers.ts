import { renderAddress } from '../../core/audience/property-values.address.js';
import type { Template, TemplateButton, TemplateHeader } from '../../core/messaging/templates.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { TemplateButtonObject, TemplateHeaderObject, TemplateObject } from './templates.schema.js';

/** One function per wire object: rows never reach a client unmapped. */

function headerObject(header: TemplateHeader): TemplateHeaderObject {
  switch (header.type) {
    case 'text':
      return { type: 'text', text: header.text };
    case 'attachment':
      return { type: 'attachment', attachment_url: header.attachmentUrl };
    case 'address':
      return { type: 'address', address: renderAddress(header.address) };
  }
}

function buttonObject(button: TemplateButton): TemplateButtonObject {
  switch (button.type) {
    case 'url':
      return { type: 'url', text: button.text, url: button.url };
    case 'phone':
      return { type: 'phone', phone: button.phone, text: button.text };
    case 'quick_reply':
      return { type: 'quick_reply', text: button.text };
    case 'copy':
      return { type: 'copy', copy: button.copy, text: button.text };
  }
}

export const templateObject = (template: Template, ids: PublicIds): TemplateObject => ({
  id: ids.encode('template', template.id),
  type: 'template',
  body: template.body,
  buttons: template.buttons.map(buttonObject),
  created_at: template.createdAt,
  footer: template.footer,
  header: template.header === null ? null : headerObject(template.header),
  name: template.name,
  state: template.state,
  technology: template.technology,
});
