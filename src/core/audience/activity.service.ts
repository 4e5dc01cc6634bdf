import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import type { TenantContext } from '../shared/tenant.js';

export interface ActivityEntry {
  readonly id: number;
  readonly kind: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: number;
}

/**
 * Appends to a profile's activity trail (changes, subscriptions, list moves; later events
 * and messages) inside the caller's transaction.
 */
export async function recordActivity(ctx: TenantContext, profileId: number, kind: string, data: Record<string, unknown>, at = epochSeconds(ctx.clock)): Promise<void> {
  await ctx.tenant.db
    .insertInto('profile_activity')
    .values({ business_id: ctx.businessId, profile_id: profileId, kind, data: JSON.stringify(data), occurred_at: at })
    .execute();
}

/** Newest first. */
export async function activityOf(ctx: TenantContext, profileId: number, bounds: KeyBounds): Promise<ActivityEntry[]> {
  const query = ctx.tenant.selectFrom('profile_activity').selectAll().where('profile_id', '=', profileId);
  const rows = await withKeyBounds(query, 'id', bounds).execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, data: JSON.parse(row.data) as Record<string, unknown>, occurredAt: row.occurred_at }));
}
