/**
 * The template as the core sees it, and the JSON its components are stored as. Stored JSON is
 * checked against its schema when read: a row that fails is a bug, not a client's input.
 */
import type { Selectable } from 'kysely';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { AddressValue } from '../audience/property-values.js';
import type { TemplatesTable, TemplateState, TemplateTechnology } from '../../store/tables.js';

export type { TemplateState, TemplateTechnology } from '../../store/tables.js';
export type TemplateRow = Selectable<TemplatesTable>;

export const TEMPLATE_TECHNOLOGIES = ['any', 'sms', 'whatsapp'] as const satisfies readonly TemplateTechnology[];
export const BUTTON_TYPES = ['url', 'phone', 'quick_reply', 'copy'] as const;
export const HEADER_TYPES = ['text', 'attachment', 'address'] as const;

const Text = Type.Union([Type.String(), Type.Null()]);

const StoredButton = Type.Union([
  Type.Object({ type: Type.Literal('url'), text: Type.String(), url: Type.String() }),
  Type.Object({ type: Type.Literal('phone'), text: Type.String(), phone: Type.String() }),
  Type.Object({ type: Type.Literal('quick_reply'), text: Type.String() }),
  Type.Object({ type: Type.Literal('copy'), text: Type.String(), copy: Type.String() }),
]);

const StoredAddress = Type.Object({
  street: Type.Object({ name: Text, number: Text }),
  postal_code: Text,
  city: Text,
  region: Text,
  subregion: Text,
  country: Text,
  latitude: Text,
  longitude: Text,
  notes: Text,
});

const StoredHeader = Type.Union([
  Type.Object({ type: Type.Literal('text'), text: Type.String() }),
  // media_id: the downloaded copy (table media); null until one is recorded.
  Type.Object({ type: Type.Literal('attachment'), attachment_url: Type.String(), media_id: Type.Union([Type.Integer(), Type.Null()]) }),
  Type.Object({ type: Type.Literal('address'), address: StoredAddress }),
]);

const StoredButtons = Type.Array(StoredButton);

export type TemplateButton = Static<typeof StoredButton>;
export type ButtonType = TemplateButton['type'];
export type TemplateHeader =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'attachment'; readonly attachmentUrl: string; readonly mediaId: number | null }
  | { readonly type: 'address'; readonly address: AddressValue };

export interface Template {
  readonly id: number;
  readonly name: string;
  readonly technology: TemplateTechnology;
  readonly body: string;
  readonly header: TemplateHeader | null;
  readonly footer: string | null;
  /** In display order. */
  readonly buttons: readonly TemplateButton[];
  readonly state: TemplateState;
  /** Why it was rejected or paused. */
  readonly stateReason: string | null;
  /** Goes through WhatsApp's review; its edits are limited (see template-rules.ts). */
  readonly targetsWhatsapp: boolean;
  /** Meta's id of the template, once submitted to the WhatsApp Cloud API. */
  readonly providerTemplateId: string | null;
  /** The name WhatsApp knows it by, once submitted (lower-case letters, digits, underscores). */
  readonly providerTemplateName: string | null;
  /** WhatsApp's language code it was submitted in (`en_US`), and its category (`MARKETING`). */
  readonly language: string | null;
  readonly category: string | null;
  /** When this version was taken for review by the WhatsApp Cloud API; null after an edit. */
  readonly submittedAt: number | null;
  readonly editedAt: number | null;
  readonly createdAt: number;
  readonly deletedAt: number | null;
}

function readJson<S extends TSchema>(schema: S, text: string, what: string): Static<S> {
  const value: unknown = JSON.parse(text);
  if (!Value.Check(schema, value)) throw new Error(`unreadable stored ${what}: ${[...Value.Errors(schema, value)].map((error) => error.message).join('; ')}`);
  return value;
}

function headerOf(row: TemplateRow): TemplateHeader | null {
  if (row.header === null) return null;
  const stored = readJson(StoredHeader, row.header, `header of template ${row.id}`);
  switch (stored.type) {
    case 'text':
      return { type: 'text', text: stored.text };
    case 'attachment':
      return { type: 'attachment', attachmentUrl: stored.attachment_url, mediaId: stored.media_id };
    case 'address':
      return { type: 'address', address: stored.address };
  }
}

export function toTemplate(row: TemplateRow): Template {
  return {
    id: row.id,
    name: row.name,
    technology: row.technology,
    body: row.body,
    header: headerOf(row),
    footer: row.footer,
    buttons: readJson(StoredButtons, row.buttons, `buttons of template ${row.id}`),
    state: row.state,
    stateReason: row.state_reason,
    targetsWhatsapp: row.targets_whatsapp === 1,
    providerTemplateId: row.provider_template_id,
    providerTemplateName: row.provider_template_name,
    language: row.language,
    category: row.category,
    submittedAt: row.submitted_at,
    editedAt: row.edited_at,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

/** The header column's JSON. */
export function headerJson(header: TemplateHeader | null): string | null {
  if (header === null) return null;
  switch (header.type) {
    case 'text':
      return JSON.stringify({ type: 'text', text: header.text });
    case 'attachment':
      return JSON.stringify({ type: 'attachment', attachment_url: header.attachmentUrl, media_id: header.mediaId });
    case 'address':
      return JSON.stringify({ type: 'address', address: header.address });
  }
}

export const buttonsJson = (buttons: readonly TemplateButton[]): string => JSON.stringify(buttons);
