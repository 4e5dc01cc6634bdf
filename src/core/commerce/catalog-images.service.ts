/**
 * Images of apps, products and variants. The reference: "We will download the image and store
 * it on our servers", so an image outlives the page it came from. Setting an image URL records
 * a pending copy (table `media`, linked by the row's `image_media_id`) and queues its download
 * in the same transaction; the download job stores it under DATA_DIR/media like any media
 * (media.service.ts). Replacing or clearing the URL, or deleting the row, lets the old copy go:
 * its media row in the transaction, its file after the commit (a job), once no row of the
 * business uses the same content. The objects keep showing `image_url` as it was given.
 */
import { enqueue } from '../../jobs/job-queue.js';
import { deleteMediaRow, findMedia } from '../messaging/media.repository.js';
import { recordMedia } from '../messaging/media.service.js';
import type { TenantContext } from '../shared/tenant.js';
import { imageMediaOf, imageOf, setImageMedia, type ImageOwner } from './catalog-images.repository.js';

export type { ImageOwner } from './catalog-images.repository.js';

export const CATALOG_IMAGE_JOBS = {
  fetch: 'catalog.fetch_image',
  removeFile: 'catalog.remove_image_file',
} as const;

/** Downloads that fail for a passing reason (network errors and timeouts; 408, 425, 429, 500, 502, 503, 504: media.service.ts) are tried this many times. */
export const FETCH_ATTEMPTS = 5;

async function release(ctx: TenantContext, mediaId: number): Promise<void> {
  const sha256 = await deleteMediaRow(ctx.tenant, mediaId);
  if (sha256 !== null) await enqueue(ctx.db, { kind: CATALOG_IMAGE_JOBS.removeFile, payload: { sha256 }, businessId: ctx.businessId }, ctx);
}

/**
 * Brings the row's copy in line with its `image_url`, after a write that may have changed it;
 * runs in the caller's transaction. The same URL keeps its copy, downloaded or on its way,
 * unless the download failed: giving the URL again tries again.
 */
export async function syncImage(ctx: TenantContext, owner: ImageOwner, id: number): Promise<void> {
  const row = await imageOf(ctx.tenant, owner, id);
  if (!row) return;
  const copy = row.image_media_id === null ? undefined : await findMedia(ctx.tenant, row.image_media_id);
  if (copy && copy.source_url === row.image_url && copy.state !== 'failed') return;
  if (copy) await release(ctx, copy.id);
  if (row.image_url === null) {
    if (row.image_media_id !== null) await setImageMedia(ctx.tenant, owner, id, null);
    return;
  }
  const pending = await recordMedia(ctx, row.image_url);
  await setImageMedia(ctx.tenant, owner, id, pending.id);
  await enqueue(ctx.db, { kind: CATALOG_IMAGE_JOBS.fetch, payload: { mediaId: pending.id }, businessId: ctx.businessId, maxAttempts: FETCH_ATTEMPTS }, ctx);
}

/** Lets the copies of rows about to be deleted go; runs in the caller's transaction, before the delete. */
export async function releaseImages(ctx: TenantContext, owner: ImageOwner, ids: readonly number[]): Promise<void> {
  for (const mediaId of await imageMediaOf(ctx.tenant, owner, ids)) await release(ctx, mediaId);
}
