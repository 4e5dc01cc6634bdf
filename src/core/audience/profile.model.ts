import { findBusinessById } from '../business/businesses.repository.js';
import type { TenantContext } from '../shared/tenant.js';
import type { ProfileState } from '../../store/tables.js';
import { listsOfProfiles } from './lists.repository.js';
import { toList, type List } from './lists.service.js';
import type { ProfileRow } from './profiles.repository.js';
import { isPropertyKind } from './property.model.js';
import { CONTACTABLE_KINDS, phoneCountry, timezoneOfCountry, type PropertyKind, type StoredValue } from './property-values.js';

/** One property value of a profile, with the definition it belongs to. */
export interface ProfileProperty {
  readonly propertyId: number;
  readonly kind: PropertyKind;
  readonly name: string | null;
  readonly position: number;
  /** True for the profile's own properties (address, email, phone, mercadolibre). */
  readonly scoped: boolean;
  readonly value: StoredValue;
  readonly verified: boolean;
}

export interface Profile {
  readonly id: number;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly externalId: string | null;
  /** Explicit, else the default phone's country's, else the business's. */
  readonly timezone: string;
  readonly language: string | null;
  readonly state: ProfileState;
  readonly blocked: boolean;
  readonly bounced: boolean;
  readonly optInPending: boolean;
  readonly createdAt: number;
  readonly activityAt: number;
  readonly cleared: boolean;
  /** Display order: email, phone, mercadolibre (each by position), then the others. */
  readonly properties: readonly ProfileProperty[];
  readonly lists: readonly List[];
}

function displayRank(property: ProfileProperty): [number, number, number] {
  const contactable = CONTACTABLE_KINDS.indexOf(property.kind as (typeof CONTACTABLE_KINDS)[number]);
  return [contactable === -1 ? CONTACTABLE_KINDS.length + (property.scoped ? 1 : 0) : contactable, property.position, property.propertyId];
}

function byDisplayOrder(a: ProfileProperty, b: ProfileProperty): number {
  const [x, y] = [displayRank(a), displayRank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

async function propertiesOf(ctx: TenantContext, profileIds: readonly number[]): Promise<Map<number, ProfileProperty[]>> {
  const rows =
    profileIds.length === 0
      ? []
      : await ctx.tenant
          .selectFrom('property_values')
          .innerJoin('properties', (join) =>
            join.onRef('properties.id', '=', 'property_values.property_id').onRef('properties.business_id', '=', 'property_values.business_id'),
          )
          .select([
            'property_values.profile_id',
            'property_values.value',
            'property_values.verified',
            'properties.id as property_id',
            'properties.kind',
            'properties.name',
            'properties.position',
            'properties.scope_id',
          ])
          .where('property_values.profile_id', 'in', profileIds)
          .execute();
  const byProfile = new Map<number, ProfileProperty[]>();
  for (const row of rows) {
    if (!isPropertyKind(row.kind)) continue;
    const list = byProfile.get(row.profile_id) ?? [];
    list.push({
      propertyId: row.property_id,
      kind: row.kind,
      name: row.name,
      position: row.position,
      scoped: row.scope_id !== 0,
      value: JSON.parse(row.value) as StoredValue,
      verified: row.verified === 1,
    });
    byProfile.set(row.profile_id, list);
  }
  for (const list of byProfile.values()) list.sort(byDisplayOrder);
  return byProfile;
}

/** Turns rows into profiles with their properties and lists, in two queries for any number of rows. */
export async function hydrateProfiles(ctx: TenantContext, rows: readonly ProfileRow[]): Promise<Profile[]> {
  const ids = rows.map((row) => row.id);
  const [properties, memberships, business] = await Promise.all([
    propertiesOf(ctx, ids),
    listsOfProfiles(ctx.tenant, ids),
    findBusinessById(ctx.db, ctx.businessId),
  ]);
  const lists = new Map<number, List[]>();
  for (const membership of memberships) lists.set(membership.profile_id, [...(lists.get(membership.profile_id) ?? []), toList(membership)]);
  return rows.map((row) => {
    const own = properties.get(row.id) ?? [];
    const phone = own.find((property) => property.kind === 'phone');
    const fromPhone = phone && typeof phone.value === 'string' ? timezoneOfCountry(phoneCountry(phone.value) ?? '') : undefined;
    return {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      externalId: row.external_id,
      timezone: row.timezone ?? fromPhone ?? business?.timezone ?? 'UTC',
      language: row.language,
      state: row.state,
      blocked: row.blocked === 1,
      bounced: row.bounced === 1,
      optInPending: row.opt_in_requested_at !== null,
      createdAt: row.created_at,
      activityAt: row.activity_at,
      cleared: row.cleared_at !== null,
      properties: own,
      lists: lists.get(row.id) ?? [],
    };
  });
}

