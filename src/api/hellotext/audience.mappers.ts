import type { ActivityEntry, TrailPosition, TrailSource } from '../../core/audience/activity.service.js';
import type { Suppression } from '../../core/audience/consent.service.js';
import type { List } from '../../core/audience/lists.service.js';
import type { Profile, ProfileProperty } from '../../core/audience/profile.model.js';
import type { Property } from '../../core/audience/property.model.js';
import { renderPropertyValue } from '../../core/audience/property-values.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { ActivityObject, ListObject, ProfileObject, PropertyObject, SuppressionObject } from './audience.schema.js';

/** One function per wire object: rows never reach a client unmapped. */

export const listObject = (list: List, ids: PublicIds): ListObject => ({ id: ids.encode('list', list.id), type: 'list', name: list.name, created_at: list.createdAt });

function propertyOfProfile(property: ProfileProperty, ids: PublicIds) {
  const base = { id: ids.encode('property', property.propertyId), kind: property.kind, name: property.name, value: renderPropertyValue(property.kind, property.value) };
  return property.kind === 'email' || property.kind === 'phone' ? { ...base, verified: property.verified } : base;
}

const strings = (properties: readonly ProfileProperty[], kind: 'email' | 'phone', verifiedOnly: boolean): string[] =>
  properties.filter((p) => p.kind === kind && (!verifiedOnly || p.verified) && typeof p.value === 'string').map((p) => String(p.value));

export function profileObject(profile: Profile, ids: PublicIds): ProfileObject {
  return {
    id: ids.encode('profile', profile.id),
    type: 'profile',
    blocked: profile.blocked,
    created_at: profile.createdAt,
    emails: strings(profile.properties, 'email', false),
    first_name: profile.firstName,
    last_name: profile.lastName,
    lists: profile.lists.map((list) => listObject(list, ids)),
    phones: strings(profile.properties, 'phone', false),
    properties: profile.properties.map((property) => propertyOfProfile(property, ids)),
    state: profile.state,
    verified_emails: strings(profile.properties, 'email', true),
    verified_phones: strings(profile.properties, 'phone', true),
    timezone: profile.timezone,
    language: profile.language,
    reference: profile.externalId,
    last_activity_at: profile.activityAt,
  };
}

export const propertyObject = (property: Property, ids: PublicIds): PropertyObject => ({
  id: ids.encode('property', property.id),
  type: 'property',
  created_at: property.createdAt,
  kind: property.kind,
  name: property.name,
  position: property.position,
  profile: property.profileId === null ? null : ids.encode('profile', property.profileId),
  unique: property.unique,
});

export const suppressionObject = (suppression: Suppression, ids: PublicIds): SuppressionObject => ({
  id: ids.encode('suppression', suppression.id),
  type: 'suppression',
  channel: suppression.channel,
  address: suppression.address,
  reason: suppression.reason,
  created_at: suppression.createdAt,
});

/** A trail entry's id is its position in the merged trail (activity.service.ts), so it serves as a cursor. */
const TRAIL_SOURCES: readonly TrailSource[] = ['activity', 'event'];

export function trailPosition(ids: PublicIds, value: string): TrailPosition | undefined {
  const [kind, activity, event] = ids.decodeTuple('activity', value, 3) ?? [];
  const source = kind === undefined ? undefined : TRAIL_SOURCES[kind - 1];
  // Bounds are ids: a position we made never holds 0.
  if (!source || activity === undefined || event === undefined || activity < 1 || event < 1) return undefined;
  return { source, activity, event };
}

export const activityObject = (entry: ActivityEntry, ids: PublicIds): ActivityObject => ({
  id: ids.encodeTuple('activity', [TRAIL_SOURCES.indexOf(entry.position.source) + 1, entry.position.activity, entry.position.event]),
  type: 'activity',
  kind: entry.kind,
  data: entry.data,
  occurred_at: entry.occurredAt,
});
