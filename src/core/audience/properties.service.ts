import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound, refusingDuplicates } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { findProfile } from './profiles.repository.js';
import {
  deletePropertyRow,
  clearUniqueKeys,
  findProperty,
  findPropertyByName,
  insertProperty,
  maxPosition,
  pageOfProperties,
  setUniqueKey,
  shiftPositions,
  updatePropertyRow,
  valueHolder,
  valuesOfProperty,
  type PropertyRow,
} from './properties.repository.js';
import { isPropertyKind, nameKey, positionGroup, toProperty, uniqueKey, type Property } from './property.model.js';
import { parsePropertyValue, PROFILE_SCOPED_KINDS, UNIQUE_INCAPABLE_KINDS, type PropertyKind } from './property-values.js';

/** Kinds a client may create; birthday, company, gender exist for every business, mercadolibre per profile. */
export const CREATABLE_KINDS = ['address', 'email', 'phone', 'checkbox', 'date', 'number', 'tags', 'text', 'url'] as const;

/** Created with every business, unnamed, so `property[gender]=…` finds them by kind. */
export const DEFAULT_PROPERTY_KINDS = ['birthday', 'company', 'gender'] as const;

export interface CreatePropertyInput {
  readonly kind?: string | undefined;
  readonly name?: string | null | undefined;
  readonly position?: number | undefined;
  readonly profileId?: number | undefined;
  readonly unique?: boolean | undefined;
}

export interface UpdatePropertyInput {
  readonly name?: string | null | undefined;
  /** `'bottom'`: the spec's `position=''`. */
  readonly position?: number | 'bottom' | undefined;
  readonly unique?: boolean | undefined;
}

const MAX_NAME = 200;

const RESERVED_NAMES = [...DEFAULT_PROPERTY_KINDS, 'email', 'phone', 'address', 'mercadolibre'] as const;

/** The name rules of the spec; returns null for "no name". */
export function checkedName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (trimmed === '') return null;
  if (/^\d/.test(trimmed)) throw invalid('name', 'A property name cannot start with a number.');
  if (/[{}]/.test(trimmed)) throw invalid('name', 'A property name cannot contain curly brackets.');
  // property[gender], property[email]… reach the built-in or own property of that kind: a
  // name cannot shadow them.
  if ((RESERVED_NAMES as readonly string[]).includes(trimmed.toLowerCase())) throw invalid('name', `"${trimmed}" is the name of a built-in property; choose another name.`);
  if (trimmed.length > MAX_NAME) throw invalid('name', `A property name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

function checkedPosition(position: number): number {
  if (!Number.isInteger(position) || position < 1) throw invalid('position', 'The position must be an integer greater than zero.');
  return position;
}

/** Names are unique within their scope, and a profile's own names do not shadow business-wide ones. */
export async function assertNameFree(ctx: TenantContext, name: string, scopeId: number, exceptId?: number): Promise<void> {
  for (const scope of scopeId === 0 ? [0] : [scopeId, 0]) {
    const holder = await findPropertyByName(ctx.tenant, scope, nameKey(name));
    if (holder && holder.id !== exceptId) throw new DomainError('not_unique', `A property named "${holder.name}" already exists.`, 'name');
  }
}

/** Inserts a property row at `position` (or the bottom of its group), moving the others. */
export async function placeProperty(
  ctx: TenantContext,
  fields: { kind: PropertyKind; name: string | null; profileId: number | null; unique: boolean },
  position?: number,
): Promise<PropertyRow> {
  await lockPositions(ctx);
  const scopeId = fields.profileId ?? 0;
  const group = positionGroup(fields.kind);
  const bottom = (await maxPosition(ctx.tenant, scopeId, group)) + 1;
  const at = position === undefined ? bottom : Math.min(position, bottom);
  if (at < bottom) await shiftPositions(ctx.tenant, scopeId, group, at, bottom, 1);
  const now = epochSeconds(ctx.clock);
  const insert = () => insertProperty(ctx.tenant, {
    kind: fields.kind,
    name: fields.name,
    name_key: fields.name === null ? null : nameKey(fields.name),
    scope_id: scopeId,
    profile_id: fields.profileId,
    position: at,
    is_unique: fields.unique && !UNIQUE_INCAPABLE_KINDS.has(fields.kind) ? 1 : 0,
    created_at: now,
    updated_at: now,
  });
  return refusingDuplicates(ctx.caps, 'name', `A property named "${fields.name}" already exists.`, insert);
}

/**
 * Positions are read, then shifted: concurrent writers on PostgreSQL take turns on the
 * business row for the rest of their transaction (SQLite runs one writer at a time anyway).
 */
async function lockPositions(ctx: TenantContext): Promise<void> {
  if (!ctx.caps.rowLocks || !ctx.db.isTransaction) return;
  await ctx.db.selectFrom('businesses').select('id').where('id', '=', ctx.businessId).forUpdate().execute();
}

/** Removes a property with its values and closes the gap it leaves in its group. */
export async function removeProperty(ctx: TenantContext, row: PropertyRow): Promise<void> {
  await lockPositions(ctx);
  if (!isPropertyKind(row.kind)) throw new Error(`unknown kind ${row.kind}`);
  const group = positionGroup(row.kind);
  await deletePropertyRow(ctx.tenant, row.id);
  const bottom = await maxPosition(ctx.tenant, row.scope_id, group);
  if (row.position <= bottom) await shiftPositions(ctx.tenant, row.scope_id, group, row.position + 1, bottom, -1);
}

export async function createProperty(ctx: TenantContext, input: CreatePropertyInput): Promise<Property> {
  if (input.kind === undefined) throw missing('kind');
  const kind = input.kind.trim().toLowerCase();
  if (!(CREATABLE_KINDS as readonly string[]).includes(kind) || !isPropertyKind(kind)) {
    throw invalid('kind', `The kind must be one of ${CREATABLE_KINDS.join(', ')}.`);
  }
  const scoped = PROFILE_SCOPED_KINDS.has(kind);
  if (scoped && input.profileId === undefined) throw new DomainError('missing', `A property of kind ${kind} belongs to a profile: profile is required.`, 'profile');
  if (!scoped && input.profileId !== undefined) throw invalid('profile', 'Only address, email and phone properties belong to a profile.');
  const name = checkedName(input.name);
  const position = input.position === undefined ? undefined : checkedPosition(input.position);
  return inTransaction(ctx, async (trx) => {
    if (input.profileId !== undefined && !(await findProfile(trx.tenant, input.profileId))) throw notFound('Profile', 'profile');
    const scopeId = input.profileId ?? 0;
    if (name !== null) await assertNameFree(trx, name, scopeId);
    return toProperty(await placeProperty(trx, { kind, name, profileId: input.profileId ?? null, unique: input.unique === true }, position));
  });
}

export async function getProperty(ctx: TenantContext, id: number): Promise<Property> {
  const row = await findProperty(ctx.tenant, id);
  if (!row) throw notFound('Property');
  return toProperty(row);
}

async function moveProperty(ctx: TenantContext, row: PropertyRow, kind: PropertyKind, target: number | 'bottom'): Promise<number> {
  await lockPositions(ctx);
  const group = positionGroup(kind);
  const bottom = await maxPosition(ctx.tenant, row.scope_id, group);
  const to = target === 'bottom' ? bottom : Math.min(checkedPosition(target), bottom);
  if (to < row.position) await shiftPositions(ctx.tenant, row.scope_id, group, to, row.position - 1, 1);
  if (to > row.position) await shiftPositions(ctx.tenant, row.scope_id, group, row.position + 1, to, -1);
  return to;
}

/**
 * Turns a property unique: refuses while two profiles share a value (naming it), then keys
 * every value so the database refuses the next duplicate.
 */
async function makeUnique(ctx: TenantContext, row: PropertyRow, kind: PropertyKind): Promise<void> {
  const keyed = (await valuesOfProperty(ctx.tenant, row.id)).map((value) => {
    const parsed = parsePropertyValue(kind, JSON.parse(value.value) as unknown, { country: 'US', parameter: 'value' });
    return { ...value, key: uniqueKey(row, parsed.searchText), text: parsed.searchText };
  });
  const seen = new Map<string, string>();
  for (const value of keyed) {
    if (seen.has(value.key)) {
      throw new DomainError('not_unique', `Several profiles share the value "${value.text}"; resolve the duplicates before making the property unique.`, 'unique');
    }
    seen.set(value.key, value.text);
  }
  for (const value of keyed) {
    const holder = await valueHolder(ctx.tenant, value.key);
    if (holder && holder.profile_id !== value.profile_id) {
      throw new DomainError('not_unique', `Another profile holds "${value.text}" in a unique ${kind} property; resolve it before making this one unique.`, 'unique');
    }
    // The same profile may hold the value in another unique property of the group.
    await refusingDuplicates(ctx.caps, 'unique', `"${value.text}" is held in another unique ${kind} property; resolve it before making this one unique.`, () =>
      setUniqueKey(ctx.tenant, value.id, value.key),
    );
  }
}

export async function updateProperty(ctx: TenantContext, id: number, input: UpdatePropertyInput): Promise<Property> {
  return inTransaction(ctx, async (trx) => {
    const row = await findProperty(trx.tenant, id);
    if (!row) throw notFound('Property');
    const property = toProperty(row);
    const changes: { name?: string | null; name_key?: string | null; position?: number; is_unique?: 0 | 1; updated_at: number } = {
      updated_at: epochSeconds(ctx.clock),
    };
    if (input.name !== undefined) {
      const name = checkedName(input.name);
      if (name !== null) await assertNameFree(trx, name, row.scope_id, row.id);
      changes.name = name;
      changes.name_key = name === null ? null : nameKey(name);
    }
    if (input.position !== undefined) changes.position = await moveProperty(trx, row, property.kind, input.position);
    // The spec: updates of `unique` on kinds that cannot be unique are ignored.
    if (input.unique !== undefined && !UNIQUE_INCAPABLE_KINDS.has(property.kind) && input.unique !== property.unique) {
      if (input.unique) await makeUnique(trx, row, property.kind);
      else await clearUniqueKeys(trx.tenant, row.id);
      changes.is_unique = input.unique ? 1 : 0;
    }
    await updatePropertyRow(trx.tenant, row.id, changes);
    return toProperty({ ...row, ...changes });
  });
}

/** The unnamed birthday, company and gender every business has: `property[gender]` needs them. */
const isBuiltIn = (row: PropertyRow): boolean => row.scope_id === 0 && row.name === null && (DEFAULT_PROPERTY_KINDS as readonly string[]).includes(row.kind);

export async function deleteProperty(ctx: TenantContext, id: number): Promise<Property> {
  return inTransaction(ctx, async (trx) => {
    const row = await findProperty(trx.tenant, id);
    if (!row) throw notFound('Property');
    if (isBuiltIn(row)) throw new DomainError('not_allowed', `The built-in ${row.kind} property cannot be deleted.`, 'id');
    await removeProperty(trx, row);
    return toProperty(row);
  });
}

/** Business-wide properties, or with `profileId` that profile's own; newest first. */
export async function listProperties(ctx: TenantContext, bounds: KeyBounds, profileId?: number): Promise<Property[]> {
  if (profileId !== undefined && !(await findProfile(ctx.tenant, profileId))) throw notFound('Profile', 'profile');
  return (await pageOfProperties(ctx.tenant, profileId ?? 0, bounds)).map(toProperty);
}

/** Every business starts with unnamed birthday, company and gender properties. */
export async function createDefaultProperties(ctx: TenantContext): Promise<void> {
  for (const kind of DEFAULT_PROPERTY_KINDS) await placeProperty(ctx, { kind, name: null, profileId: null, unique: false });
}
