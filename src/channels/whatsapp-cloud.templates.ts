/**
 * Message templates through the WhatsApp Cloud API's management endpoints: submitting one for
 * review (`POST /{waba}/message_templates`), editing it (`POST /{template id}`), deleting it
 * (`DELETE /{waba}/message_templates?name=…&hsm_id=…`), and the Resumable Upload API that gives
 * a media header's sample its handle. The engine decides what to submit and when; this file
 * only speaks Meta's wire format and turns answers into outcomes, as `send` does.
 */

import { Value } from 'typebox/value';
import { failedFetch, retryAfterMs } from './http-outcome.js';
import { arrayField, isRecord, parseJson, stringField } from './json.js';
import { InvalidSettingsError } from './provider-definition.js';
import type { ProviderDeps, SendOutcome } from './provider.js';
import { errorOutcome, WhatsappCloudSettings } from './whatsapp-cloud.provider.js';

export type WhatsappCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type WhatsappMediaFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

/** The sample of a media header, uploaded for its handle at submission. */
export interface WhatsappHeaderSample {
  readonly content: Buffer;
  readonly contentType: string;
  readonly filename: string;
}

export type WhatsappTemplateHeader =
  | { readonly format: 'TEXT'; readonly text: string; readonly example?: string }
  | { readonly format: WhatsappMediaFormat; readonly sample: WhatsappHeaderSample }
  | { readonly format: 'LOCATION' };

export type WhatsappTemplateButton =
  | { readonly type: 'QUICK_REPLY'; readonly text: string }
  | { readonly type: 'URL'; readonly text: string; readonly url: string }
  | { readonly type: 'PHONE_NUMBER'; readonly text: string; readonly phoneNumber: string }
  /** WhatsApp writes the button's text itself ("Copy offer code"); the code is given at send time. */
  | { readonly type: 'COPY_CODE'; readonly example: string };

/** A template as WhatsApp reviews it: positional variables (`{{1}}`) with their samples. */
export interface WhatsappTemplateDefinition {
  readonly name: string;
  readonly language: string;
  readonly category: WhatsappCategory;
  readonly header?: WhatsappTemplateHeader;
  readonly body: { readonly text: string; readonly examples: readonly string[] };
  readonly footer?: string;
  readonly buttons: readonly WhatsappTemplateButton[];
}

/**
 * What a submission came to. `submitted`: WhatsApp holds the template under `id`, in `status`
 * (PENDING, or APPROVED / REJECTED when it decided at once); `adopted` when it already had it
 * (a retry after a lost answer, or a second job). Failures as a send's.
 */
export type TemplateOutcome =
  | { readonly kind: 'submitted'; readonly id: string; readonly status: string; readonly category?: string; readonly reason?: string; readonly adopted?: true }
  | { readonly kind: 'retryable'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly reason: string; readonly code?: string };

export type DeleteOutcome = { readonly kind: 'deleted' } | Exclude<TemplateOutcome, { kind: 'submitted' }>;

type Failure = Exclude<TemplateOutcome, { kind: 'submitted' }>;
type Payload = Record<string, unknown>;

/** Stored settings, typed; throws InvalidSettingsError as the provider's own factory does. */
export function whatsappSettings(raw: unknown): WhatsappCloudSettings {
  const value = Value.Default(WhatsappCloudSettings, Value.Clone(raw));
  if (Value.Check(WhatsappCloudSettings, value)) return value;
  throw new InvalidSettingsError(
    'whatsapp-cloud',
    Value.Errors(WhatsappCloudSettings, value).map((error) => `${error.instancePath || '/'} ${error.message}`),
  );
}

/** Meta's components for a definition; `handle` is the uploaded sample of a media header. */
export function templateComponents(definition: WhatsappTemplateDefinition, handle?: string): Payload[] {
  const components: Payload[] = [];
  const header = definition.header;
  if (header?.format === 'TEXT') {
    components.push({ type: 'HEADER', format: 'TEXT', text: header.text, ...(header.example === undefined ? {} : { example: { header_text: [header.example] } }) });
  } else if (header?.format === 'LOCATION') {
    components.push({ type: 'HEADER', format: 'LOCATION' });
  } else if (header) {
    components.push({ type: 'HEADER', format: header.format, example: { header_handle: [handle ?? ''] } });
  }
  const { text, examples } = definition.body;
  components.push({ type: 'BODY', text, ...(examples.length > 0 ? { example: { body_text: [[...examples]] } } : {}) });
  if (definition.footer !== undefined) components.push({ type: 'FOOTER', text: definition.footer });
  if (definition.buttons.length > 0) {
    const buttons = definition.buttons.map((button): Payload => {
      switch (button.type) {
        case 'QUICK_REPLY':
          return { type: 'QUICK_REPLY', text: button.text };
        case 'URL':
          return { type: 'URL', text: button.text, url: button.url };
        case 'PHONE_NUMBER':
          return { type: 'PHONE_NUMBER', text: button.text, phone_number: button.phoneNumber };
        case 'COPY_CODE':
          return { type: 'COPY_CODE', example: button.example };
      }
    });
    components.push({ type: 'BUTTONS', buttons });
  }
  return components;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The failure a send outcome is; HTTP errors and thrown fetches are never `accepted`. */
function asFailure(outcome: SendOutcome): Failure {
  if (outcome.kind === 'accepted') throw new Error('unreachable: a failed call is never accepted');
  return outcome;
}

const graphBase = (settings: WhatsappCloudSettings): string => `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;

/** One Graph API call; a fetch that threw or a non-2xx answer is the failure it means. */
async function call(
  settings: WhatsappCloudSettings,
  deps: ProviderDeps,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { json?: Payload; bytes?: Buffer; headers?: Record<string, string> } = {},
): Promise<Answer | Failure> {
  const headers: Record<string, string> = { authorization: `Bearer ${settings.accessToken}`, accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.bytes;
  let response;
  try {
    response = await deps.outbound.fetch(`${graphBase(settings)}/${path}`, { method, headers, ...(body === undefined ? {} : { body }), timeoutMs: settings.timeoutMs });
  } catch (error) {
    return asFailure(failedFetch(error, 'whatsapp-cloud'));
  }
  const parsed = parseJson(response.body);
  if (response.status >= 200 && response.status < 300) return { status: response.status, body: parsed };
  const outcome = asFailure(errorOutcome(response.status, parsed, retryAfterMs(response.headers['retry-after'], deps.clock.now())));
  // Template refusals explain themselves in error_user_msg ("…variables can't be at the start…").
  const error = isRecord(parsed) ? parsed.error : undefined;
  const userMessage = stringField(error, 'error_user_msg');
  return userMessage && outcome.kind === 'permanent' ? { ...outcome, reason: `${outcome.reason} (${userMessage})` } : outcome;
}

const failed = (answer: Answer | Failure): answer is Failure => 'kind' in answer;

/** The Resumable Upload API: a session on the app, then the bytes; answers the file handle. */
async function uploadSample(settings: WhatsappCloudSettings, deps: ProviderDeps, sample: WhatsappHeaderSample): Promise<{ handle: string } | Failure> {
  if (!settings.appId) return { kind: 'permanent', reason: "a template with an image, video or document header needs the WhatsApp channel's appId setting, to upload its sample" };
  const query = new URLSearchParams({ file_name: sample.filename, file_length: String(sample.content.length), file_type: sample.contentType });
  const session = await call(settings, deps, 'POST', `${settings.appId}/uploads?${query.toString()}`);
  if (failed(session)) return session;
  const uploadId = stringField(session.body, 'id');
  if (!uploadId) return { kind: 'permanent', reason: 'whatsapp-cloud answered the upload session without an id' };
  // The upload endpoint takes `OAuth`, not `Bearer`, and the offset a resumed upload starts at.
  const uploaded = await call(settings, deps, 'POST', uploadId, { bytes: sample.content, headers: { authorization: `OAuth ${settings.accessToken}`, file_offset: '0', 'content-type': sample.contentType } });
  if (failed(uploaded)) return uploaded;
  const handle = stringField(uploaded.body, 'h');
  return handle ? { handle } : { kind: 'permanent', reason: 'whatsapp-cloud answered the upload without a handle' };
}

/** The WABA's template of this name and language, when WhatsApp already has it. */
async function existingTemplate(settings: WhatsappCloudSettings, deps: ProviderDeps, businessAccountId: string, definition: WhatsappTemplateDefinition): Promise<TemplateOutcome | undefined> {
  const query = new URLSearchParams({ name: definition.name, fields: 'id,name,language,status,category' });
  const answer = await call(settings, deps, 'GET', `${businessAccountId}/message_templates?${query.toString()}`);
  if (failed(answer)) return undefined;
  // The name filter matches parts of names too: only the exact one is ours.
  const found = arrayField(answer.body, 'data').find((item) => stringField(item, 'name') === definition.name && stringField(item, 'language') === definition.language);
  const id = stringField(found, 'id');
  if (!id) return undefined;
  const category = stringField(found, 'category');
  return { kind: 'submitted', id, status: stringField(found, 'status') ?? 'PENDING', ...(category ? { category } : {}), adopted: true };
}

/**
 * Submits a template for review, or its new version when WhatsApp already knows it as
 * `providerTemplateId` (an edit keeps the name, language and id). A create that fails because
 * the template exists answers the existing one, so a retry after a lost answer is safe.
 */
export async function submitWhatsappTemplate(
  rawSettings: unknown,
  deps: ProviderDeps,
  definition: WhatsappTemplateDefinition,
  providerTemplateId?: string | null,
): Promise<TemplateOutcome> {
  const settings = whatsappSettings(rawSettings);
  const businessAccountId = settings.businessAccountId;
  if (!businessAccountId) return { kind: 'permanent', reason: "the WhatsApp channel has no businessAccountId setting (the WhatsApp Business Account id): templates cannot be submitted for review" };
  let handle: string | undefined;
  if (definition.header && definition.header.format !== 'TEXT' && definition.header.format !== 'LOCATION') {
    const uploaded = await uploadSample(settings, deps, definition.header.sample);
    if ('kind' in uploaded) return uploaded;
    handle = uploaded.handle;
  }
  const components = templateComponents(definition, handle);
  if (providerTemplateId) {
    const edited = await call(settings, deps, 'POST', encodeURIComponent(providerTemplateId), { json: { category: definition.category, components } });
    return failed(edited) ? edited : { kind: 'submitted', id: providerTemplateId, status: 'PENDING' };
  }
  const created = await call(settings, deps, 'POST', `${businessAccountId}/message_templates`, {
    json: { name: definition.name, language: definition.language, category: definition.category, components },
  });
  if (failed(created)) return created.kind === 'permanent' ? ((await existingTemplate(settings, deps, businessAccountId, definition)) ?? created) : created;
  const id = stringField(created.body, 'id');
  if (!id) return { kind: 'permanent', reason: `whatsapp-cloud answered ${created.status} without the template's id` };
  const category = stringField(created.body, 'category');
  return { kind: 'submitted', id, status: stringField(created.body, 'status') ?? 'PENDING', ...(category ? { category } : {}) };
}

/** Deletes a template (every language of the name when WhatsApp has no id for it). */
export async function deleteWhatsappTemplate(rawSettings: unknown, deps: ProviderDeps, template: { readonly name: string; readonly id?: string | null }): Promise<DeleteOutcome> {
  const settings = whatsappSettings(rawSettings);
  if (!settings.businessAccountId) return { kind: 'permanent', reason: 'the WhatsApp channel has no businessAccountId setting' };
  const query = new URLSearchParams({ name: template.name, ...(template.id ? { hsm_id: template.id } : {}) });
  const answer = await call(settings, deps, 'DELETE', `${settings.businessAccountId}/message_templates?${query.toString()}`);
  return failed(answer) ? answer : { kind: 'deleted' };
}
