/** The worker's side of catalog images (catalog-images.service.ts). */
import { Type } from 'typebox';
import type { Job, JobHandlers } from '../../jobs/job-handler.js';
import type { CoreContext } from '../context.js';
import { downloadMedia, failMedia, removeUnusedFile } from '../messaging/media.service.js';
import { jobPayload, jobTenant } from '../shared/job-input.js';
import { CATALOG_IMAGE_JOBS, FETCH_ATTEMPTS } from './catalog-images.service.js';

const FetchPayload = Type.Object({ mediaId: Type.Integer() });
const RemovePayload = Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) });

/**
 * Downloads the image; a passing failure is retried with the worker's backoff and recorded as
 * failed at the last attempt. A failed copy changes nothing else: the object keeps its URL.
 */
async function fetchImage(ctx: CoreContext, job: Job): Promise<void> {
  const { mediaId } = jobPayload(FetchPayload, job);
  const tenant = jobTenant(ctx, job);
  const outcome = await downloadMedia(tenant, mediaId, 'catalog');
  if (outcome.kind !== 'retryable') return;
  if (job.attempt < FETCH_ATTEMPTS) throw new Error(outcome.reason);
  await failMedia(tenant, mediaId, outcome.reason);
}

async function removeImageFile(ctx: CoreContext, job: Job): Promise<void> {
  const { sha256 } = jobPayload(RemovePayload, job);
  await removeUnusedFile(jobTenant(ctx, job), sha256);
}

export function catalogImageJobHandlers(ctx: CoreContext): JobHandlers {
  return {
    [CATALOG_IMAGE_JOBS.fetch]: (job) => fetchImage(ctx, job),
    [CATALOG_IMAGE_JOBS.removeFile]: (job) => removeImageFile(ctx, job),
  };
}
