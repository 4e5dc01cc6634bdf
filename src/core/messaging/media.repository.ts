import type { Selectable } from 'kysely';
import type { MediaTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type MediaRow = Selectable<MediaTable>;

export function insertMedia(tenant: TenantDb, sourceUrl: string, at: number): Promise<MediaRow> {
  return tenant.db
    .insertInto('media')
    .values({ business_id: tenant.businessId, source_url: sourceUrl, state: 'pending', created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findMedia(tenant: TenantDb, id: number): Promise<MediaRow | undefined> {
  return tenant.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the stored file; false when the row is gone or no longer pending (another run finished it). */
export async function markMediaReady(tenant: TenantDb, id: number, file: { contentType: string; size: number; sha256: string; path: string }, at: number): Promise<boolean> {
  const result = await tenant
    .updateTable('media')
    .set({ state: 'ready', content_type: file.contentType, size: file.size, sha256: file.sha256, path: file.path, error: null, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markMediaFailed(tenant: TenantDb, id: number, error: string, at: number): Promise<boolean> {
  const result = await tenant.updateTable('media').set({ state: 'failed', error, updated_at: at }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes the row; answers the file it pointed at, if any. */
export async function deleteMediaRow(tenant: TenantDb, id: number): Promise<string | null> {
  const row = await tenant.deleteFrom('media').where('id', '=', id).returning('sha256').executeTakeFirst();
  return row?.sha256 ?? null;
}

/** Whether any row of the business still points at this file (files are shared by content). */
export async function mediaFileInUse(tenant: TenantDb, sha256: string): Promise<boolean> {
  const row = await tenant.selectFrom('media').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Serialises a business's file bookkeeping for the rest of the transaction (a file's last user
 * going, a new user of the same content recorded): its business row, locked where rows lock;
 * SQLite's transactions take the write lock anyway.
 */
export async function lockMediaFiles(tenant: TenantDb, rowLocks: boolean): Promise<void> {
  if (!rowLocks) return;
  await tenant.db.selectFrom('businesses').select('id').where('id', '=', tenant.businessId).forUpdate().execute();
}
