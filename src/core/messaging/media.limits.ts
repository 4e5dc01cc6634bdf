/**
 * What each platform accepts as an attachment (the reference's "Attachment Limitations"
 * tables; `catalog` is ours: images of apps and products), and what a downloaded file really is. The type is read from the file's first bytes,
 * not believed from the server's Content-Type: a page that answers HTML with 200 is no image.
 * Office formats share two containers (OLE, ZIP); for them the declared type or the URL's
 * extension names which one it is.
 */

export type MediaPlatform = 'whatsapp' | 'instagram' | 'catalog';
export type MediaCategory = 'image' | 'video' | 'document';

interface MediaFormat {
  readonly name: string;
  readonly contentType: string;
  readonly category: MediaCategory;
  /** Other content types servers send for it. */
  readonly aliases?: readonly string[];
  readonly extensions: readonly string[];
}

const FORMATS = {
  jpeg: { name: 'jpeg', contentType: 'image/jpeg', category: 'image', aliases: ['image/jpg', 'image/pjpeg'], extensions: ['jpg', 'jpeg'] },
  png: { name: 'png', contentType: 'image/png', category: 'image', extensions: ['png'] },
  gif: { name: 'gif', contentType: 'image/gif', category: 'image', extensions: ['gif'] },
  webp: { name: 'webp', contentType: 'image/webp', category: 'image', extensions: ['webp'] },
  mp4: { name: 'mp4', contentType: 'video/mp4', category: 'video', extensions: ['mp4', 'm4v'] },
  '3gp': { name: '3gp', contentType: 'video/3gpp', category: 'video', extensions: ['3gp'] },
  mov: { name: 'mov', contentType: 'video/quicktime', category: 'video', extensions: ['mov'] },
  ogg: { name: 'ogg', contentType: 'video/ogg', category: 'video', aliases: ['application/ogg'], extensions: ['ogg', 'ogv'] },
  avi: { name: 'avi', contentType: 'video/x-msvideo', category: 'video', aliases: ['video/avi', 'video/msvideo'], extensions: ['avi'] },
  webm: { name: 'webm', contentType: 'video/webm', category: 'video', extensions: ['webm'] },
  pdf: { name: 'pdf', contentType: 'application/pdf', category: 'document', extensions: ['pdf'] },
  doc: { name: 'doc', contentType: 'application/msword', category: 'document', extensions: ['doc'] },
  xls: { name: 'xls', contentType: 'application/vnd.ms-excel', category: 'document', extensions: ['xls'] },
  ppt: { name: 'ppt', contentType: 'application/vnd.ms-powerpoint', category: 'document', extensions: ['ppt'] },
  docx: { name: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', category: 'document', extensions: ['docx'] },
  xlsx: { name: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', category: 'document', extensions: ['xlsx'] },
  pptx: { name: 'pptx', contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', category: 'document', extensions: ['pptx'] },
} as const satisfies Record<string, MediaFormat>;

type FormatName = keyof typeof FORMATS;

const MB = 1024 * 1024;

/** Formats and the largest size of each category, per platform. */
export const MEDIA_LIMITS: Readonly<Record<MediaPlatform, ReadonlyArray<{ category: MediaCategory; formats: readonly FormatName[]; maxBytes: number }>>> = {
  whatsapp: [
    { category: 'image', formats: ['jpeg', 'png'], maxBytes: 5 * MB },
    { category: 'video', formats: ['3gp', 'mp4'], maxBytes: 25 * MB },
    { category: 'document', formats: ['pdf', 'doc', 'docx', 'ppt', 'pptx', 'xls', 'xlsx'], maxBytes: 100 * MB },
  ],
  instagram: [
    { category: 'image', formats: ['png', 'jpeg', 'gif'], maxBytes: 8 * MB },
    { category: 'video', formats: ['mp4', 'ogg', 'avi', 'mov', 'webm'], maxBytes: 25 * MB },
  ],
  // App icons and product pictures "in high resolution": the formats shops and stores serve.
  catalog: [{ category: 'image', formats: ['jpeg', 'png', 'gif', 'webp'], maxBytes: 10 * MB }],
};

/** Who refuses a file, in refusals' words. */
const PLATFORM_LABELS: Readonly<Record<MediaPlatform, string>> = { whatsapp: 'WhatsApp', instagram: 'Instagram', catalog: 'The catalog' };

/** The largest file a platform takes at all: the download stops past it. */
export const largestMedia = (platform: MediaPlatform): number => Math.max(...MEDIA_LIMITS[platform].map((limit) => limit.maxBytes));

const startsWith = (bytes: Buffer, signature: readonly number[], offset = 0): boolean => signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (bytes: Buffer, start: number, end: number): string => bytes.subarray(start, end).toString('latin1');

/** The formats the first bytes allow: one, several (Office containers) or none. */
function sniff(bytes: Buffer): readonly FormatName[] {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return ['jpeg'];
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ['png'];
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return ['gif'];
  if (ascii(bytes, 0, 5) === '%PDF-') return ['pdf'];
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand.startsWith('3g')) return ['3gp'];
    return brand === 'qt  ' ? ['mov'] : ['mp4'];
  }
  if (ascii(bytes, 0, 4) === 'OggS') return ['ogg'];
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'AVI ') return ['avi'];
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return ['webp'];
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return ['webm'];
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return ['doc', 'xls', 'ppt'];
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return ['docx', 'xlsx', 'pptx'];
  return [];
}

function declaredFormat(contentType: string | undefined, url: string): FormatName | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  const names = Object.keys(FORMATS).filter((name): name is FormatName => name in FORMATS);
  const byType = names.find((name) => {
    const format: MediaFormat = FORMATS[name];
    return format.contentType === type || (format.aliases ?? []).includes(type ?? '');
  });
  if (byType) return byType;
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? '';
  return names.find((name) => (FORMATS[name].extensions as readonly string[]).includes(extension));
}

export type MediaCheck =
  | { readonly ok: true; readonly contentType: string; readonly category: MediaCategory }
  | { readonly ok: false; readonly reason: string };

/** Whether a downloaded file is one `platform` takes, by its bytes, declared type and size. */
export function checkMedia(platform: MediaPlatform, file: { bytes: Buffer; contentType: string | undefined; url: string }): MediaCheck {
  const candidates = sniff(file.bytes);
  const declared = declaredFormat(file.contentType, file.url);
  const name = candidates.length === 1 ? candidates[0] : candidates.find((candidate) => candidate === declared);
  if (name === undefined) {
    return { ok: false, reason: candidates.length > 1 ? 'The file is an Office document of unknown kind: serve it with its content type or extension.' : 'The file is of no supported type.' };
  }
  const format: MediaFormat = FORMATS[name];
  const limit = MEDIA_LIMITS[platform].find((entry) => entry.formats.includes(name));
  const label = PLATFORM_LABELS[platform];
  if (!limit) return { ok: false, reason: `${label} does not take ${format.name} files.` };
  if (file.bytes.length > limit.maxBytes) return { ok: false, reason: `${label} takes ${format.category}s of at most ${limit.maxBytes / MB} MB; the file has ${(file.bytes.length / MB).toFixed(1)} MB.` };
  return { ok: true, contentType: format.contentType, category: format.category };
}
