import type { TenantDb } from '../shared/tenant.js';

/** The rows that have an image: apps, and product variants (a product's is its default variant's). */
export type ImageOwner = 'apps' | 'product_variants';

export function imageOf(tenant: TenantDb, owner: ImageOwner, id: number): Promise<{ image_url: string | null; image_media_id: number | null } | undefined> {
  return tenant.selectFrom(owner).select(['image_url', 'image_media_id']).where('id', '=', id).executeTakeFirst();
}

export async function setImageMedia(tenant: TenantDb, owner: ImageOwner, id: number, mediaId: number | null): Promise<void> {
  await tenant.updateTable(owner).set({ image_media_id: mediaId }).where('id', '=', id).execute();
}

/** The copies (downloaded, pending or failed) these rows point at. */
export async function imageMediaOf(tenant: TenantDb, owner: ImageOwner, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tenant.selectFrom(owner).select('image_media_id').where('id', 'in', ids).where('image_media_id', 'is not', null).execute();
  return rows.flatMap((row) => (row.image_media_id === null ? [] : [row.image_media_id]));
}
