import { epochSeconds } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import type { TenantContext } from '../shared/tenant.js';
import { activityOfProfile, insertActivity } from './activity.repository.js';
import { findProfile } from './profiles.repository.js';

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
  await insertActivity(ctx.tenant, { profile_id: profileId, kind, data: JSON.stringify(data), occurred_at: at });
}

function parseData(text: string): Record<string, unknown> {
  const data: unknown = JSON.parse(text);
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.fromEntries(Object.entries(data)) : {};
}

/** A profile's trail, newest first. */
export async function activityOf(ctx: TenantContext, profileId: number, bounds: KeyBounds): Promise<ActivityEntry[]> {
  if (!(await findProfile(ctx.tenant, profileId))) throw notFound('Profile');
  const rows = await activityOfProfile(ctx.tenant, profileId, bounds);
  return rows.map((row) => ({ id: row.id, kind: row.kind, data: parseData(row.data), occurredAt: row.occurred_at }));
}
