/**
 * A message's attachment URLs: checked when the message is accepted against what each
 * platform takes (the reference's tables: WhatsApp and Instagram formats), typed by their
 * file extension, and handed to the provider by link. Sizes are the peer's to refuse: the
 * engine does not download message attachments (see docs/messaging.md).
 */
import { parseUrl } from '../audience/property-values.contact.js';
import { invalid } from '../shared/errors.js';
import type { Technology } from './channels.model.js';
import type { MessageAttachment } from './messages.model.js';

const MAX_URL = 2048;

const TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  '3gp': 'video/3gpp',
  mp4: 'video/mp4',
  ogg: 'video/ogg',
  avi: 'video/x-msvideo',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  txt: 'text/plain',
};

/** Per technology: how many attachments, and which extensions (undefined: any). */
const RULES: Readonly<Record<Technology, { readonly max: number; readonly formats?: readonly string[] }>> = {
  whatsapp: { max: 1, formats: ['jpg', 'jpeg', 'png', '3gp', 'mp4', 'pdf', 'doc', 'docx', 'ppt', 'pptx', 'xls', 'xlsx'] },
  instagram: { max: 1, formats: ['png', 'jpg', 'jpeg', 'gif', 'mp4', 'ogg', 'avi', 'mov', 'webm'] },
  sms: { max: 10 },
  mercadolibre: { max: 1 },
  email: { max: 10 },
};

function extensionOf(url: URL): string | undefined {
  const last = url.pathname.split('/').at(-1) ?? '';
  const dot = last.lastIndexOf('.');
  return dot === -1 ? undefined : last.slice(dot + 1).toLowerCase();
}

function fileNameOf(url: URL): string {
  const last = url.pathname.split('/').at(-1) ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function checkedAttachments(technology: Technology, urls: readonly string[]): MessageAttachment[] {
  const rules = RULES[technology];
  if (urls.length > rules.max) throw invalid('attachments', `A ${technology} message carries at most ${rules.max} attachment${rules.max === 1 ? '' : 's'}.`);
  return urls.map((raw) => {
    const text = parseUrl(raw, 'attachments');
    if (text.length > MAX_URL) throw invalid('attachments', `An attachment URL has at most ${MAX_URL} characters.`);
    const url = new URL(text);
    const extension = extensionOf(url);
    if (rules.formats && (extension === undefined || !rules.formats.includes(extension))) {
      throw invalid('attachments', `${technology} takes ${rules.formats.join(', ')} attachments; ${text} is not one.`);
    }
    const filename = fileNameOf(url);
    return {
      url: text,
      content_type: (extension && TYPES[extension]) ?? 'application/octet-stream',
      ...(filename ? { filename } : {}),
    };
  });
}
