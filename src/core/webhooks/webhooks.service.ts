import { randomBytes, randomUUID } from 'node:crypto';
import { parseUrl } from '../audience/property-values.contact.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { enqueue } from '../../jobs/job-queue.js';
import type { WebhookDeliveryState } from '../../store/tables.js';
import { insertDelivery, pageOfDeliveries, type WebhookDeliveryRow } from './webhook-deliveries.repository.js';
import { activeWebhooks, countWebhooks, deleteWebhookRow, findWebhook, insertWebhook, pageOfWebhooks, updateWebhookRow, type WebhookRow } from './webhooks.repository.js';

/**
 * Outbound webhooks: a business's URLs that hear about its messages. Each event becomes one
 * delivery per subscribed webhook, written in the transaction that caused it together with
 * the job that sends it (src/core/webhooks/webhook-delivery.job.ts).
 */

export const WEBHOOK_EVENTS = ['message.state_changed', 'message.received'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  readonly id: number;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What create and rotate answer: the only moments the secret is shown. */
export interface WebhookWithSecret {
  readonly webhook: Webhook;
  readonly secret: string;
}

/** Parameters as given: `undefined` is "not given". */
export interface WebhookInput {
  readonly url?: string | null | undefined;
  readonly events?: readonly unknown[] | undefined;
  readonly active?: boolean | undefined;
}

export interface WebhookDelivery {
  readonly id: number;
  readonly webhookId: number;
  readonly uuid: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  readonly state: WebhookDeliveryState;
  readonly attempts: number;
  readonly responseStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** Each event fans out to every webhook; a bound keeps one message from becoming a storm. */
export const MAX_WEBHOOKS = 20;
const MAX_URL = 2048;

const isWebhookEvent = (value: unknown): value is WebhookEvent => WEBHOOK_EVENTS.some((event) => event === value);

function parseEvents(text: string): WebhookEvent[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter(isWebhookEvent) : [];
}

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
}

export const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: parseEvents(row.events),
  active: row.active === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  webhookId: row.webhook_id,
  uuid: row.uuid,
  event: row.event,
  payload: parseObject(row.payload),
  state: row.state,
  attempts: row.attempts,
  responseStatus: row.response_status,
  lastError: row.last_error,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});

/** Shown once; 32 random bytes, prefixed so a leaked one is recognisable in a secret scanner. */
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

function checkedUrl(url: string | null | undefined, required: boolean): string | undefined {
  if (url === undefined || url === null) {
    if (required) throw missing('url');
    if (url === null) throw new DomainError('empty', 'A webhook needs a URL.', 'url');
    return undefined;
  }
  if (url.trim() === '') throw new DomainError('empty', 'A webhook needs a URL.', 'url');
  const checked = parseUrl(url.trim(), 'url');
  if (checked.length > MAX_URL) throw invalid('url', `A webhook URL has at most ${MAX_URL} characters.`);
  // The outbound client never sends them (they would follow a redirect anywhere): refuse now
  // rather than fail every delivery later.
  const parsed = new URL(checked);
  if (parsed.username !== '' || parsed.password !== '') throw invalid('url', 'A webhook URL cannot carry credentials; check the signature instead.');
  return checked;
}

/** Known names, each once, in the order given; undefined keeps (update) or subscribes to all (create). */
function checkedEvents(events: readonly unknown[] | undefined): WebhookEvent[] | undefined {
  if (events === undefined) return undefined;
  const names = events.filter((event) => event !== '' && event !== null);
  if (names.length === 0) throw new DomainError('empty', `Subscribe to at least one of ${WEBHOOK_EVENTS.join(', ')}.`, 'events');
  const unknown = names.find((event) => !isWebhookEvent(event));
  if (unknown !== undefined) throw invalid('events', `${JSON.stringify(unknown)} is no webhook event; the events are ${WEBHOOK_EVENTS.join(', ')}.`);
  return [...new Set(names.filter(isWebhookEvent))];
}

export async function resolveWebhook(ctx: TenantContext, id: number): Promise<WebhookRow> {
  const row = await findWebhook(ctx.tenant, id);
  if (!row) throw notFound('Webhook');
  return row;
}

export async function createWebhook(ctx: TenantContext, input: WebhookInput): Promise<WebhookWithSecret> {
  const url = checkedUrl(input.url, true) ?? '';
  const events = checkedEvents(input.events) ?? [...WEBHOOK_EVENTS];
  const secret = newSecret();
  const now = epochSeconds(ctx.clock);
  return inTransaction(ctx, async (trx) => {
    if ((await countWebhooks(trx.tenant)) >= MAX_WEBHOOKS) throw new DomainError('not_allowed', `A business has at most ${MAX_WEBHOOKS} webhooks.`, 'url');
    const row = await insertWebhook(trx.tenant, { url, secret, events: JSON.stringify(events), active: input.active === false ? 0 : 1, created_at: now, updated_at: now });
    return { webhook: toWebhook(row), secret };
  });
}

export async function getWebhook(ctx: TenantContext, id: number): Promise<Webhook> {
  return toWebhook(await resolveWebhook(ctx, id));
}

export async function listWebhooks(ctx: TenantContext, bounds: KeyBounds): Promise<Webhook[]> {
  return (await pageOfWebhooks(ctx.tenant, bounds)).map(toWebhook);
}

/** Changes what is given; deliveries already written keep their URL's next attempts. */
export async function updateWebhook(ctx: TenantContext, id: number, input: WebhookInput): Promise<Webhook> {
  const url = checkedUrl(input.url, false);
  const events = checkedEvents(input.events);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveWebhook(trx, id);
    const changes = {
      url,
      events: events === undefined ? undefined : JSON.stringify(events),
      active: input.active === undefined ? undefined : input.active ? (1 as const) : (0 as const),
      updated_at: epochSeconds(ctx.clock),
    };
    return toWebhook(await updateWebhookRow(trx.tenant, row.id, changes));
  });
}

/** A new secret, effective at once: the next attempt of every delivery is signed with it. */
export async function rotateWebhookSecret(ctx: TenantContext, id: number): Promise<WebhookWithSecret> {
  const secret = newSecret();
  return inTransaction(ctx, async (trx) => {
    const row = await resolveWebhook(trx, id);
    return { webhook: toWebhook(await updateWebhookRow(trx.tenant, row.id, { secret, updated_at: epochSeconds(ctx.clock) })), secret };
  });
}

export async function deleteWebhook(ctx: TenantContext, id: number): Promise<Webhook> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveWebhook(trx, id);
    await deleteWebhookRow(trx.tenant, row.id);
    return toWebhook(row);
  });
}

/** A webhook's delivery log, newest first. */
export async function listDeliveries(ctx: TenantContext, webhookId: number, bounds: KeyBounds): Promise<WebhookDelivery[]> {
  const webhook = await resolveWebhook(ctx, webhookId);
  return (await pageOfDeliveries(ctx.tenant, webhook.id, bounds)).map(toDelivery);
}

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';

/** What the delivery job is given; the attempt limit travels with it so the job knows its last try. */
export interface DeliveryJobPayload {
  readonly delivery: number;
  readonly maxAttempts: number;
}

/**
 * A transaction's view of the business's active webhooks is read once: a batch of send
 * outcomes (one transaction for many messages) then costs one query, not one per message.
 * Outside a transaction every call reads them.
 */
const webhooksInTransaction = new WeakMap<TenantContext['db'], Map<number, Promise<WebhookRow[]>>>();

function webhooksOf(trx: TenantContext): Promise<WebhookRow[]> {
  if (!trx.db.isTransaction) return activeWebhooks(trx.tenant);
  let byBusiness = webhooksInTransaction.get(trx.db);
  if (!byBusiness) webhooksInTransaction.set(trx.db, (byBusiness = new Map()));
  let rows = byBusiness.get(trx.businessId);
  if (!rows) byBusiness.set(trx.businessId, (rows = activeWebhooks(trx.tenant)));
  return rows;
}

/**
 * Tells the business's active webhooks subscribed to `event` about it: a delivery row and a
 * job for each, written through the caller's transaction, so they exist exactly when the
 * change they report does. `payload` builds the event's data as receivers will read it, only
 * when someone subscribed.
 */
export async function emitWebhookEvent(trx: TenantContext, event: WebhookEvent, payload: () => object | Promise<object>): Promise<void> {
  const subscribers = (await webhooksOf(trx)).filter((row) => parseEvents(row.events).includes(event));
  if (subscribers.length === 0) return;
  const data = JSON.stringify(await payload());
  const now = epochSeconds(trx.clock);
  const maxAttempts = trx.config.JOB_MAX_ATTEMPTS;
  for (const webhook of subscribers) {
    const delivery = await insertDelivery(trx.tenant, { webhook_id: webhook.id, uuid: randomUUID(), event, payload: data, state: 'pending', created_at: now, delivered_at: null });
    const job: DeliveryJobPayload = { delivery: delivery.id, maxAttempts };
    await enqueue(trx.db, { kind: WEBHOOK_DELIVERY_JOB, payload: job, businessId: trx.businessId, maxAttempts }, trx);
  }
}
