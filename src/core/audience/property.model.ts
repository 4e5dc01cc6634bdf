import { createHash } from 'node:crypto';
import type { PropertyKind } from './property-values.js';
import { CONTACTABLE_KINDS, PROPERTY_KINDS } from './property-values.js';
import type { PropertyRow } from './properties.repository.js';

export interface Property {
  readonly id: number;
  readonly kind: PropertyKind;
  readonly name: string | null;
  readonly position: number;
  /** The profile a profile-scoped property (address, email, phone, mercadolibre) belongs to. */
  readonly profileId: number | null;
  readonly unique: boolean;
  readonly createdAt: number;
}

export function isPropertyKind(value: string): value is PropertyKind {
  return (PROPERTY_KINDS as readonly string[]).includes(value);
}

export function isContactableKind(kind: string): boolean {
  return (CONTACTABLE_KINDS as readonly string[]).includes(kind);
}

/** Kinds whose positions form one sequence in a scope: each contactable kind alone, the rest together. */
export function positionGroup(kind: PropertyKind): readonly PropertyKind[] {
  return isContactableKind(kind) ? [kind] : PROPERTY_KINDS.filter((other) => !isContactableKind(other));
}

export function toProperty(row: PropertyRow): Property {
  if (!isPropertyKind(row.kind)) throw new Error(`property ${row.id} has unknown kind ${row.kind}`);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    position: row.position,
    profileId: row.profile_id,
    unique: row.is_unique === 1,
    createdAt: row.created_at,
  };
}

/**
 * The uniqueness group of a property's values: a business-wide property is its own group;
 * profile-scoped ones (each profile's own email, phone…) group by kind, so a unique email is
 * unique across every profile's unique email properties.
 */
export function uniquenessGroup(row: Pick<PropertyRow, 'id' | 'kind' | 'scope_id'>): string {
  return row.scope_id === 0 ? `p${row.id}` : `k${row.kind}`;
}

export const nameKey = (name: string): string => name.trim().toLowerCase();

/**
 * The key the database keeps unique for a value of a unique property: its group and a hash of
 * the whole normalised value (search_text is cut for its index; the key must not be).
 */
export function uniqueKey(row: Pick<PropertyRow, 'id' | 'kind' | 'scope_id'>, searchText: string): string {
  return `${uniquenessGroup(row)}:${createHash('sha256').update(searchText).digest('base64url')}`;
}
