import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ShortLinksTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type ShortLinkRow = Selectable<ShortLinksTable>;

/**
 * Inserts the link unless this business already has its code; undefined then. A conflict is
 * skipped rather than raised so that a caller's PostgreSQL transaction stays usable for the
 * retry with another code.
 */
export function insertShortLink(tenant: TenantDb, values: Omit<Insertable<ShortLinksTable>, 'business_id'>): Promise<ShortLinkRow | undefined> {
  return tenant.db
    .insertInto('short_links')
    .values({ ...values, business_id: tenant.businessId })
    .onConflict((oc) => oc.columns(['business_id', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/*
 * A click names its link by code alone, before the business is known (like an API key or a
 * public business id), so the two queries below look across every business, through the
 * `short_links_code_idx` index. Everything after the lookup goes through the link's tenant.
 */

export function findShortLinkByCode(db: Kysely<Database>, code: string): Promise<ShortLinkRow | undefined> {
  return db.selectFrom('short_links').selectAll().where('code', '=', code).orderBy('id').limit(1).executeTakeFirst();
}

export async function codeInUse(db: Kysely<Database>, code: string): Promise<boolean> {
  return (await db.selectFrom('short_links').select('id').where('code', '=', code).limit(1).executeTakeFirst()) !== undefined;
}

/** One more click, counted in the database so concurrent clicks all count. */
export async function countClick(tenant: TenantDb, id: number): Promise<void> {
  await tenant
    .updateTable('short_links')
    .set((eb) => ({ clicks: eb('clicks', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
