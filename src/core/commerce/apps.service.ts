import { parseUrl } from '../audience/property-values.contact.js';
import type { KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound, refusingDuplicates } from '../shared/errors.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { deleteAppRow, findApp, findAppByName, insertApp, pageOfApps, updateAppRow, type AppRow } from './apps.repository.js';
import { releaseImages, syncImage } from './catalog-images.service.js';

/** The applications a business's audience uses (its iOS or Android app), for app.* events. */
export interface App {
  readonly id: number;
  readonly name: string;
  readonly imageUrl: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
}

/** Parameters as given: `undefined` is "not given", `null` an explicit null. */
export interface AppInput {
  readonly name?: string | null | undefined;
  readonly imageUrl?: string | null | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
}

const MAX_NAME = 200;
/** Browsers and CDNs stop at about this; longer is a data blob, not an icon's address. */
export const MAX_URL = 2048;

export const toApp = (row: AppRow): App => ({ id: row.id, name: row.name, imageUrl: row.image_url, metadata: parseMetadata(row.metadata), createdAt: row.created_at });

/** Trimmed; required on create; on update `undefined` keeps the name and an empty one is refused. */
function checkedName(name: string | null | undefined, required: boolean): string | undefined {
  if (required && (name === undefined || name === null)) throw missing('name');
  if (name === undefined) return undefined;
  const trimmed = (name ?? '').trim();
  if (trimmed === '') throw new DomainError('empty', 'An app needs a name.', 'name');
  if (trimmed.length > MAX_NAME) throw invalid('name', `An app name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

/** An http(s) URL kept as given; null or empty means "no image". */
export function checkedImageUrl(value: string | null | undefined, parameter = 'image_url'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const url = parseUrl(value, parameter);
  if (url.length > MAX_URL) throw invalid(parameter, `A URL has at most ${MAX_URL} characters.`);
  return url;
}

const duplicate = (name: string) => `An app named "${name}" already exists.`;

async function assertNameFree(ctx: TenantContext, name: string, exceptId?: number): Promise<void> {
  const holder = await findAppByName(ctx.tenant, name);
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', duplicate(name), 'name');
}

/** The app with this id, or `not_found` about `parameter`. */
export async function resolveApp(ctx: TenantContext, id: number, parameter = 'id'): Promise<AppRow> {
  const row = await findApp(ctx.tenant, id);
  if (!row) throw notFound('App', parameter);
  return row;
}

/** Creates an app; usable inside the caller's transaction (event tracking's `app_parameters`). */
export async function createApp(ctx: TenantContext, input: AppInput): Promise<App> {
  const name = checkedName(input.name, true) ?? '';
  const imageUrl = checkedImageUrl(input.imageUrl) ?? null;
  const metadata = metadataText(input.metadata) ?? '{}';
  return inTransaction(ctx, async (trx) => {
    await assertNameFree(trx, name);
    const insert = () => insertApp(trx.tenant, { name, image_url: imageUrl, metadata, at: epochSeconds(ctx.clock) });
    const row = await refusingDuplicates(ctx.caps, 'name', duplicate(name), insert);
    if (imageUrl !== null) await syncImage(trx, 'apps', row.id);
    return toApp(row);
  });
}

export async function getApp(ctx: TenantContext, id: number): Promise<App> {
  return toApp(await resolveApp(ctx, id));
}

/** Changes what is given; `imageUrl: null` removes the image, `metadata` replaces the hash. */
export async function updateApp(ctx: TenantContext, id: number, input: AppInput): Promise<App> {
  const name = checkedName(input.name, false);
  const imageUrl = checkedImageUrl(input.imageUrl);
  const metadata = metadataText(input.metadata);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveApp(trx, id);
    if (name !== undefined) await assertNameFree(trx, name, row.id);
    const update = () => updateAppRow(trx.tenant, row.id, { name, image_url: imageUrl, metadata, updated_at: epochSeconds(ctx.clock) });
    const updated = await refusingDuplicates(ctx.caps, 'name', duplicate(name ?? row.name), update);
    if (imageUrl !== undefined) await syncImage(trx, 'apps', row.id);
    return toApp(updated);
  });
}

export async function deleteApp(ctx: TenantContext, id: number): Promise<App> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveApp(trx, id);
    await releaseImages(trx, 'apps', [row.id]);
    await deleteAppRow(trx.tenant, row.id);
    return toApp(row);
  });
}

export async function listApps(ctx: TenantContext, bounds: KeyBounds): Promise<App[]> {
  return (await pageOfApps(ctx.tenant, bounds)).map(toApp);
}
