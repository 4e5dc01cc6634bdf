import { businessCountry } from '../business/business-country.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, refusingDuplicates } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import { recordActivity } from './activity.service.js';
import { assertNameFree, checkedName, placeProperty, removeProperty } from './properties.service.js';
import { deleteValue, findProperty, findPropertyByName, findValue, ownPropertyCount, propertiesOfScope, shiftPositions, upsertValue, valueHolder, type PropertyRow } from './properties.repository.js';
import { isContactableKind, isPropertyKind, nameKey, positionGroup, uniqueKey } from './property.model.js';
import { searchTerms } from './property-terms.js';
import { isEmptyPropertyInput, parsePropertyValue } from './property-values.js';

/** Bounds what one profile, and one request, can make the database do. */
export const MAX_OWN_PROPERTIES = 50;
export const MAX_WRITES_PER_REQUEST = 200;

/** Kinds a profile holds several of, each its own property: `email[work]`, `new_default_phone`… */
export type ContactKind = 'email' | 'phone' | 'address' | 'mercadolibre';

/**
 * Which of a profile's own properties a write aims at: its default (first) one, a new
 * default (the old one stays, second), or one named or identified by the bracket key.
 */
export type ContactTarget = { readonly by: 'default' } | { readonly by: 'new_default' } | { readonly by: 'key'; readonly key: string; readonly id?: number | undefined };

export interface ContactWrite {
  readonly kind: ContactKind;
  readonly target: ContactTarget;
  /** Raw input; an empty value removes. */
  readonly value: unknown;
  /** The wire parameter, for errors. */
  readonly parameter: string;
}

/** `property[Name]` (name, or kind of an unnamed property) or `property_by_id[ID]`. */
export interface PropertyWrite {
  readonly target: { readonly by: 'name'; readonly name: string } | { readonly by: 'id'; readonly id: number | undefined; readonly key: string };
  readonly value: unknown;
  readonly parameter: string;
  /** Skip, rather than refuse with `undefined_property`, when no such property exists. */
  readonly ifDefined?: boolean;
}

interface Writer {
  readonly ctx: TenantContext;
  readonly profileId: number;
  readonly country: string;
  readonly now: number;
}

export async function changeWriter(ctx: TenantContext, profileId: number): Promise<Writer> {
  return { ctx, profileId, country: await businessCountry(ctx), now: epochSeconds(ctx.clock) };
}

async function setValue(writer: Writer, property: PropertyRow, raw: unknown, parameter: string): Promise<void> {
  if (!isPropertyKind(property.kind)) throw new Error(`unknown kind ${property.kind}`);
  const { ctx, profileId, now } = writer;
  const parsed = parsePropertyValue(property.kind, raw, { country: writer.country, parameter });
  const searchText = parsed.searchText.slice(0, 255);
  const key = property.is_unique === 1 ? uniqueKey(property, parsed.searchText) : null;
  if (key !== null) {
    const holder = await valueHolder(ctx.tenant, key);
    if (holder && holder.profile_id !== profileId) {
      throw new DomainError('not_unique', `Another profile already has this ${property.name ?? property.kind}.`, parameter);
    }
  }
  const previous = await findValue(ctx.tenant, property.id, profileId);
  const value = JSON.stringify(parsed.value);
  const unchanged = previous?.value === value;
  const terms = searchTerms(property.kind, parsed.value, parsed.searchText);
  const write = () => upsertValue(ctx.tenant, {
    profile_id: profileId,
    property_id: property.id,
    kind: property.kind,
    value,
    search_text: searchText,
    unique_key: key,
    // A new address or number must be verified again.
    verified: unchanged ? (previous?.verified ?? 0) : 0,
    created_at: now,
    updated_at: now,
  }, terms);
  await refusingDuplicates(ctx.caps, parameter, `Another profile already has this ${property.name ?? property.kind}.`, write);
  if (!unchanged) await recordActivity(ctx, profileId, 'property_changed', { property: property.name ?? property.kind, kind: property.kind, value: parsed.value }, now);
}

async function clearValue(writer: Writer, property: PropertyRow): Promise<void> {
  const { ctx, profileId, now } = writer;
  if (property.scope_id === profileId) await removeProperty(ctx, property);
  else await deleteValue(ctx.tenant, property.id, profileId);
  await recordActivity(ctx, profileId, 'property_removed', { property: property.name ?? property.kind, kind: property.kind }, now);
}

/** Moves a profile-scoped property to the top of its kind, making it the default. */
async function promote(writer: Writer, property: PropertyRow, kind: ContactKind): Promise<void> {
  if (property.position === 1) return;
  const { ctx, profileId } = writer;
  await shiftPositions(ctx.tenant, profileId, positionGroup(kind), 1, property.position - 1, 1);
  await ctx.tenant.updateTable('properties').set({ position: 1 }).where('id', '=', property.id).execute();
}

/** `email[work]=…` creates the profile's property `work`, under the rules of every property name. */
async function createNamed(writer: Writer, kind: ContactKind, key: string, parameter: string): Promise<PropertyRow> {
  const { ctx, profileId } = writer;
  const owned = await ownPropertyCount(ctx.tenant, profileId);
  if (owned >= MAX_OWN_PROPERTIES) {
    throw new DomainError('not_allowed', `A profile holds at most ${MAX_OWN_PROPERTIES} emails, phones, addresses and MercadoLibre users.`, parameter);
  }
  try {
    const name = checkedName(key);
    if (name === null) throw new DomainError('empty', 'A property name is required inside the brackets.', parameter);
    await assertNameFree(ctx, name, profileId);
    return await placeProperty(ctx, { kind, name, profileId, unique: false });
  } catch (error) {
    // The rules speak of `name`; the client wrote the name inside this parameter's brackets.
    if (error instanceof DomainError && error.parameter === 'name') throw new DomainError(error.code, error.message, parameter);
    throw error;
  }
}

export async function applyContactWrite(writer: Writer, write: ContactWrite): Promise<void> {
  const { ctx, profileId } = writer;
  const own = await propertiesOfScope(ctx.tenant, profileId, write.kind);
  const empty = isEmptyPropertyInput(write.value);
  const target = write.target;

  if (target.by === 'default') {
    // The default is the first property holding a value (a property made through
    // /v1/properties has none until one is set); else the first one, to fill.
    const values = await Promise.all(own.map((property) => findValue(ctx.tenant, property.id, profileId)));
    const current = own.find((_property, index) => values[index] !== undefined) ?? (empty ? undefined : own[0]);
    if (empty) return current ? clearValue(writer, current) : undefined;
    const property = current ?? (await placeProperty(ctx, { kind: write.kind, name: null, profileId, unique: false }));
    return setValue(writer, property, write.value, write.parameter);
  }

  if (target.by === 'new_default') {
    if (empty) return;
    const parsed = parsePropertyValue(write.kind, write.value, { country: writer.country, parameter: write.parameter });
    const values = await Promise.all(own.map(async (property) => ({ property, value: await findValue(ctx.tenant, property.id, profileId) })));
    const same = values.find((entry) => entry.value?.value === JSON.stringify(parsed.value));
    if (same) return promote(writer, same.property, write.kind);
    const property = await placeProperty(ctx, { kind: write.kind, name: null, profileId, unique: false }, 1);
    return setValue(writer, property, write.value, write.parameter);
  }

  const byId = target.id === undefined ? undefined : own.find((property) => property.id === target.id);
  if (!byId && target.id !== undefined && (await findProperty(ctx.tenant, target.id))) {
    // The key is the id of a property, just not one of this profile's of this kind.
    throw new DomainError('undefined_property', `This profile has no ${write.kind} property ${target.key}.`, write.parameter);
  }
  const byName = byId ?? (await findPropertyByName(ctx.tenant, profileId, nameKey(target.key)));
  if (byName && byName.kind !== write.kind) {
    throw new DomainError('invalid', `"${target.key}" is a ${byName.kind} property, not ${write.kind}.`, write.parameter);
  }
  if (empty) return byName ? clearValue(writer, byName) : undefined;
  const property = byName ?? (await createNamed(writer, write.kind, target.key, write.parameter));
  return setValue(writer, property, write.value, write.parameter);
}

async function propertyForWrite(writer: Writer, write: PropertyWrite): Promise<PropertyRow | ContactKind | undefined> {
  const { ctx, profileId } = writer;
  if (write.target.by === 'id') {
    const row = write.target.id === undefined ? undefined : await findProperty(ctx.tenant, write.target.id);
    return row && (row.scope_id === 0 || row.scope_id === profileId) ? row : undefined;
  }
  const key = nameKey(write.target.name);
  const named = (await findPropertyByName(ctx.tenant, profileId, key)) ?? (await findPropertyByName(ctx.tenant, 0, key));
  if (named) return named;
  // An unnamed property is addressed by its kind: property[gender]=male.
  if (!isPropertyKind(key)) return undefined;
  if (isContactableKind(key) || key === 'address') return key as ContactKind;
  const [unnamed] = (await propertiesOfScope(ctx.tenant, 0, key)).filter((property) => property.name === null);
  return unnamed;
}

export async function applyPropertyWrite(writer: Writer, write: PropertyWrite): Promise<void> {
  const target = await propertyForWrite(writer, write);
  if (target === undefined) {
    if (write.ifDefined) return;
    const what = write.target.by === 'name' ? write.target.name : write.target.key;
    throw new DomainError('undefined_property', `There is no property "${what}".`, write.parameter);
  }
  if (typeof target === 'string') return applyContactWrite(writer, { kind: target, target: { by: 'default' }, value: write.value, parameter: write.parameter });
  if (isEmptyPropertyInput(write.value)) return clearValue(writer, target);
  return setValue(writer, target, write.value, write.parameter);
}
