/**
 * Files fetched from URLs a business gave (template headers, catalog images; message
 * attachments later): downloaded through the guarded outbound client (no private addresses,
 * a time and a size limit), checked against the platform's formats and sizes, stored once per
 * content under DATA_DIR/media/<business id>/<sha256> and recorded in `media`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRetryable, OutboundError } from '../../net/outbound-client.js';
import { epochSeconds } from '../shared/clock.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { checkMedia, largestMedia, type MediaPlatform } from './media.limits.js';
import { deleteMediaRow, findMedia, insertMedia, lockMediaFiles, markMediaFailed, markMediaReady, mediaFileInUse, type MediaRow } from './media.repository.js';

export type { MediaPlatform } from './media.limits.js';

export type DownloadOutcome =
  | { readonly kind: 'ready'; readonly media: MediaRow }
  | { readonly kind: 'failed'; readonly reason: string }
  /** Trying again later may work (timeout, network, 5xx, 429); nothing was recorded. */
  | { readonly kind: 'retryable'; readonly reason: string };

/** HTTP answers worth another try: the server is busy or broken right now. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A pending media row for `url`, to download later; runs in the caller's transaction. */
export async function recordMedia(ctx: TenantContext, url: string): Promise<MediaRow> {
  return insertMedia(ctx.tenant, url, epochSeconds(ctx.clock));
}

const mediaDir = (ctx: TenantContext): string => path.join(ctx.config.DATA_DIR, 'media', String(ctx.businessId));

/** Writes the file under its hash, atomically: a crash leaves a temporary file, never half a file under the real name. */
async function storeFile(ctx: TenantContext, bytes: Buffer): Promise<{ sha256: string; path: string }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = mediaDir(ctx);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${sha256}.${randomUUID()}.tmp`);
  await writeFile(temporary, bytes);
  await rename(temporary, path.join(dir, sha256));
  return { sha256, path: path.join(String(ctx.businessId), sha256) };
}

/**
 * Removes the file unless another row of the business still points at it. The check and the
 * removal hold the business's file lock, which a download takes to record its file: see
 * downloadMedia for the other half.
 */
export async function removeUnusedFile(ctx: TenantContext, sha256: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    await lockMediaFiles(trx.tenant, ctx.caps.rowLocks);
    if (await mediaFileInUse(trx.tenant, sha256)) return;
    await rm(path.join(mediaDir(ctx), sha256), { force: true });
  });
}

const fileExists = (file: string): Promise<boolean> => access(file).then(
  () => true,
  () => false,
);

/** Fails the download for good; false when it was no longer pending. */
export async function failMedia(ctx: TenantContext, mediaId: number, reason: string): Promise<boolean> {
  return markMediaFailed(ctx.tenant, mediaId, reason, epochSeconds(ctx.clock));
}

/**
 * Downloads one pending media row and records the outcome, except a retryable one, which the
 * caller (a job) retries or gives up with failMedia. Idempotent: a finished row answers as is.
 */
export async function downloadMedia(ctx: TenantContext, mediaId: number, platform: MediaPlatform): Promise<DownloadOutcome> {
  const row = await findMedia(ctx.tenant, mediaId);
  if (!row) return { kind: 'failed', reason: 'The attachment was removed.' };
  if (row.state === 'ready') return { kind: 'ready', media: row };
  if (row.state === 'failed') return { kind: 'failed', reason: row.error ?? 'The attachment could not be downloaded.' };

  let response;
  try {
    response = await ctx.outbound.fetch(row.source_url, { maxBytes: largestMedia(platform), timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const reason = `The attachment could not be downloaded: ${error.message}.`;
    if (isRetryable(error)) return { kind: 'retryable', reason };
    await failMedia(ctx, row.id, reason);
    return { kind: 'failed', reason };
  }
  if (response.status < 200 || response.status > 299) {
    const reason = `The attachment URL answered HTTP ${response.status}.`;
    if (RETRYABLE_STATUSES.has(response.status)) return { kind: 'retryable', reason };
    await failMedia(ctx, row.id, reason);
    return { kind: 'failed', reason };
  }
  const check = checkMedia(platform, { bytes: response.body, contentType: response.headers['content-type'], url: response.url });
  if (!check.ok) {
    await failMedia(ctx, row.id, check.reason);
    return { kind: 'failed', reason: check.reason };
  }
  const file = await storeFile(ctx, response.body);
  const recorded = await inTransaction(ctx, async (trx) => {
    await lockMediaFiles(trx.tenant, ctx.caps.rowLocks);
    return markMediaReady(trx.tenant, row.id, { contentType: check.contentType, size: response.body.length, ...file }, epochSeconds(ctx.clock));
  });
  // The removal of an unused file of the same content (another row's, let go meanwhile) may
  // have run between the write and the record: it ran whole before the record (the lock), so
  // a missing file is written again; a later one sees this row and keeps it.
  if (recorded && !(await fileExists(path.join(ctx.config.DATA_DIR, 'media', file.path)))) await storeFile(ctx, response.body);
  if (!recorded) {
    // Removed or finished while we downloaded: the file may be nobody's now.
    await removeUnusedFile(ctx, file.sha256);
    const again = await findMedia(ctx.tenant, row.id);
    return again?.state === 'ready' ? { kind: 'ready', media: again } : { kind: 'failed', reason: again?.error ?? 'The attachment was removed.' };
  }
  const media = await findMedia(ctx.tenant, row.id);
  return media ? { kind: 'ready', media } : { kind: 'failed', reason: 'The attachment was removed.' };
}

/** Deletes a media row; its file goes once no row points at it. Call outside a transaction that may still roll back. */
export async function deleteMedia(ctx: TenantContext, mediaId: number): Promise<void> {
  const sha256 = await deleteMediaRow(ctx.tenant, mediaId);
  if (sha256 !== null) await removeUnusedFile(ctx, sha256);
}
