import type { Insertable, Selectable } from 'kysely';
import type { ProfileActivityTable } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

export type ActivityRow = Selectable<ProfileActivityTable>;

export async function insertActivity(tenant: TenantDb, row: Omit<Insertable<ProfileActivityTable>, 'business_id'>): Promise<void> {
  await tenant.db
    .insertInto('profile_activity')
    .values({ ...row, business_id: tenant.businessId })
    .execute();
}

/** Which rows of one source a trail page reads: ids strictly between the bounds (0: none), in `order`. */
export interface SourceBounds {
  readonly below: number;
  readonly above: number;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
}

export function activityRowsOfProfile(tenant: TenantDb, profileId: number, bounds: SourceBounds): Promise<ActivityRow[]> {
  let query = tenant.selectFrom('profile_activity').selectAll().where('profile_id', '=', profileId);
  if (bounds.below > 0) query = query.where('id', '<', bounds.below);
  if (bounds.above > 0) query = query.where('id', '>', bounds.above);
  return query.orderBy('id', bounds.order).limit(bounds.limit).execute();
}

export interface EventTrailRow {
  readonly id: number;
  readonly action: string;
  readonly trackable_type: string | null;
  /** JSON text: what a browser reported, and the products a cart event moved. */
  readonly details: string | null;
  readonly tracked_at: number;
  readonly created_at: number;
}

/** A profile's tracked events as trail entries (each event is its own entry). */
export function eventRowsOfProfile(tenant: TenantDb, profileId: number, bounds: SourceBounds): Promise<EventTrailRow[]> {
  let query = tenant
    .selectFrom('events')
    .innerJoin('actions', 'actions.id', 'events.action_id')
    .select(['events.id', 'actions.name as action', 'events.trackable_type', 'events.details', 'events.tracked_at', 'events.created_at'])
    .where('events.profile_id', '=', profileId);
  if (bounds.below > 0) query = query.where('events.id', '<', bounds.below);
  if (bounds.above > 0) query = query.where('events.id', '>', bounds.above);
  return query.orderBy('events.id', bounds.order).limit(bounds.limit).execute();
}
