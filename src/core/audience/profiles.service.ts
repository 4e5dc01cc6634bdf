import { businessCountry } from '../business/business-country.js';
import { isTimeZone } from '../business/locale.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, notFound, refusingDuplicates } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import type { ProfileState } from '../../store/tables.js';
import { recordActivity } from './activity.service.js';
import { setProfileLists } from './lists.service.js';
import { applyContactWrite, applyPropertyWrite, changeWriter, MAX_WRITES_PER_REQUEST, type ContactWrite, type PropertyWrite } from './profile-changes.js';
import { hydrateProfiles, type Profile } from './profile.model.js';
import { findProfile, insertProfile, profileIdByReference, updateProfileRow, type ProfileRow } from './profiles.repository.js';
import { findValue, propertiesOfScope, setVerified } from './properties.repository.js';
import { removeProperty } from './properties.service.js';
import { parsePropertyValue } from './property-values.js';

/** Everything a client may set on a profile, already mapped from its surface's names. */
export interface ProfileInput {
  readonly firstName?: string | null | undefined;
  readonly lastName?: string | null | undefined;
  readonly externalId?: string | null | undefined;
  readonly timezone?: string | null | undefined;
  readonly language?: string | null | undefined;
  readonly contacts?: readonly ContactWrite[] | undefined;
  readonly properties?: readonly PropertyWrite[] | undefined;
  /** List names. On create missing lists are created; on update `[]` leaves every list. */
  readonly lists?: readonly string[] | undefined;
}

export interface CreateProfileInput extends ProfileInput {
  /** Explicit consent given: the profile starts subscribed. */
  readonly subscribe?: boolean | undefined;
}

const MAX_NAME = 200;

function optionalText(value: string | null | undefined, parameter: string, max = MAX_NAME): string | null | undefined {
  if (value === undefined) return undefined;
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > max) throw invalid(parameter, `At most ${max} characters.`);
  return trimmed === '' ? null : trimmed;
}

/** A name as search and order compare it: case and accents folded, the same on both databases. */
export const foldName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();

/**
 * The alphabetical order's key: last name, then first name, split by a character below every
 * printable one (so "Smith, Zed" precedes "Smith Jones, Al"); profiles without a last name last.
 */
export const sortName = (first: string | null, last: string | null): string => {
  const lastKey = foldName(last ?? '');
  return `${lastKey === '' ? '\uffff' : lastKey}\u0001${foldName(first ?? '')}`;
};

function scalarChanges(input: ProfileInput, current?: Pick<ProfileRow, 'first_name' | 'last_name'>) {
  const firstName = optionalText(input.firstName, 'first_name');
  const lastName = optionalText(input.lastName, 'last_name');
  const timezone = optionalText(input.timezone, 'timezone', 64);
  if (timezone && !isTimeZone(timezone)) throw invalid('timezone', `"${timezone}" is not an IANA time zone.`);
  const changes: Partial<Pick<ProfileRow, 'first_name' | 'last_name' | 'first_name_key' | 'last_name_key' | 'sort_name' | 'external_id' | 'timezone' | 'language'>> = {};
  if (firstName !== undefined) {
    changes.first_name = firstName;
    changes.first_name_key = firstName === null ? null : foldName(firstName);
  }
  if (lastName !== undefined) {
    changes.last_name = lastName;
    changes.last_name_key = lastName === null ? null : foldName(lastName);
  }
  if (firstName !== undefined || lastName !== undefined) {
    changes.sort_name = sortName(firstName === undefined ? (current?.first_name ?? null) : firstName, lastName === undefined ? (current?.last_name ?? null) : lastName);
  }
  const externalId = optionalText(input.externalId, 'reference');
  if (externalId !== undefined) changes.external_id = externalId;
  if (timezone !== undefined) changes.timezone = timezone;
  const language = optionalText(input.language, 'language', 16);
  if (language !== undefined) changes.language = language;
  return changes;
}

async function applyWrites(ctx: TenantContext, profileId: number, input: ProfileInput): Promise<void> {
  const count = (input.contacts?.length ?? 0) + (input.properties?.length ?? 0) + (input.lists?.length ?? 0);
  if (count > MAX_WRITES_PER_REQUEST) throw invalid('body', `At most ${MAX_WRITES_PER_REQUEST} properties and lists can be set in one request.`);
  const writer = await changeWriter(ctx, profileId);
  for (const write of input.contacts ?? []) await applyContactWrite(writer, write);
  for (const write of input.properties ?? []) await applyPropertyWrite(writer, write);
}

async function rowOf(ctx: TenantContext, id: number): Promise<ProfileRow> {
  const row = await findProfile(ctx.tenant, id);
  if (!row) throw notFound('Profile');
  return row;
}

export async function getProfile(ctx: TenantContext, id: number): Promise<Profile> {
  const [profile] = await hydrateProfiles(ctx, [await rowOf(ctx, id)]);
  if (!profile) throw notFound('Profile');
  return profile;
}

export async function createProfile(ctx: TenantContext, input: CreateProfileInput): Promise<Profile> {
  const id = await inTransaction(ctx, async (trx) => {
    const now = epochSeconds(ctx.clock);
    const scalars = scalarChanges(input);
    if (scalars.external_id && (await profileIdByReference(trx.tenant, scalars.external_id)) !== undefined) {
      throw new DomainError('not_unique', 'Another profile has this reference.', 'reference');
    }
    const insert = () => insertProfile(trx.tenant, {
      first_name: null,
      last_name: null,
      sort_name: sortName(null, null),
      ...scalars,
      state: input.subscribe === true ? 'subscribed' : 'unconfirmed',
      bounced: 0,
      blocked: 0,
      created_at: now,
      updated_at: now,
      activity_at: now,
    });
    const row = await refusingDuplicates(ctx.caps, 'reference', 'Another profile has this reference.', insert);
    await recordActivity(trx, row.id, 'created', { state: row.state }, now);
    await applyWrites(trx, row.id, input);
    if (input.lists) await setProfileLists(trx, row.id, input.lists, { replace: false });
    return row.id;
  });
  return getProfile(ctx, id);
}

export async function updateProfile(ctx: TenantContext, id: number, input: ProfileInput): Promise<Profile> {
  await inTransaction(ctx, async (trx) => {
    const row = await rowOf(trx, id);
    const scalars = scalarChanges(input, row);
    if (scalars.external_id) {
      const holder = await profileIdByReference(trx.tenant, scalars.external_id);
      if (holder !== undefined && holder !== id) throw new DomainError('not_unique', 'Another profile has this reference.', 'reference');
    }
    const update = () => updateProfileRow(trx.tenant, id, { ...scalars, updated_at: epochSeconds(ctx.clock) });
    await refusingDuplicates(ctx.caps, 'reference', 'Another profile has this reference.', update);
    const changed = (['first_name', 'last_name', 'external_id', 'timezone', 'language'] as const).filter((field) => field in scalars && scalars[field] !== row[field]);
    if (changed.length > 0) await recordActivity(trx, id, 'profile_changed', Object.fromEntries(changed.map((field) => [field === 'external_id' ? 'reference' : field, scalars[field]])));
    await applyWrites(trx, id, input);
    if (input.lists) await setProfileLists(trx, id, input.lists, { replace: true });
  });
  return getProfile(ctx, id);
}

/**
 * DELETE clears a profile: its properties go, its history (activity, conversations, events)
 * stays, and subscribing it again restores it.
 */
export async function clearProfile(ctx: TenantContext, id: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const row = await rowOf(trx, id);
    for (const property of await propertiesOfScope(trx.tenant, id)) await removeProperty(trx, property);
    await trx.tenant.deleteFrom('property_values').where('profile_id', '=', id).execute();
    const now = epochSeconds(ctx.clock);
    await updateProfileRow(trx.tenant, id, {
      first_name: null,
      last_name: null,
      first_name_key: null,
      last_name_key: null,
      sort_name: sortName(null, null),
      external_id: null,
      timezone: null,
      language: null,
      // Restored "by changing the subscription state to subscribed": until then it is not.
      state: row.state === 'subscribed' ? 'unconfirmed' : row.state,
      cleared_at: row.cleared_at ?? now,
      updated_at: now,
    });
    await recordActivity(trx, id, 'cleared', {}, now);
  });
}

async function changeState(ctx: TenantContext, id: number, state: ProfileState): Promise<Profile> {
  await inTransaction(ctx, async (trx) => {
    const row = await rowOf(trx, id);
    const now = epochSeconds(ctx.clock);
    // Subscribing restores a cleared profile and ends a pending double opt-in.
    const restore = state === 'subscribed' ? { cleared_at: null, opt_in_requested_at: null } : {};
    await updateProfileRow(trx.tenant, id, { state, ...restore, updated_at: now });
    if (row.state !== state) await recordActivity(trx, id, state, { from: row.state }, now);
  });
  return getProfile(ctx, id);
}

export const subscribeProfile = (ctx: TenantContext, id: number) => changeState(ctx, id, 'subscribed');
export const unsubscribeProfile = (ctx: TenantContext, id: number) => changeState(ctx, id, 'unsubscribed');

export async function setProfileBlocked(ctx: TenantContext, id: number, blocked: boolean): Promise<Profile> {
  await inTransaction(ctx, async (trx) => {
    const row = await rowOf(trx, id);
    const now = epochSeconds(ctx.clock);
    await updateProfileRow(trx.tenant, id, { blocked: blocked ? 1 : 0, updated_at: now });
    if ((row.blocked === 1) !== blocked) await recordActivity(trx, id, blocked ? 'blocked' : 'unblocked', {}, now);
  });
  return getProfile(ctx, id);
}

/** Exactly one of email and phone names the contactable to (un)verify. */
function contactable(given: { email?: unknown; phone?: unknown }): { kind: 'email' | 'phone'; value: unknown; parameter: string } {
  const named = (['email', 'phone'] as const).filter((kind) => given[kind] !== undefined && given[kind] !== '');
  if (named.length > 1) throw new DomainError('ambiguous', 'Give either email or phone, not both.', 'email');
  const [kind] = named;
  if (!kind) throw new DomainError('object_invalid', 'Give the email or the phone to verify.', 'email');
  return { kind, value: given[kind], parameter: kind };
}

/** Marks (or unmarks) one of the profile's emails or phones as verified. */
export async function setContactVerified(ctx: TenantContext, id: number, given: { email?: unknown; phone?: unknown }, verified: boolean): Promise<void> {
  const contact = contactable(given);
  await inTransaction(ctx, async (trx) => {
    await rowOf(trx, id);
    const country = await businessCountry(trx);
    const wanted = JSON.stringify(parsePropertyValue(contact.kind, contact.value, { country, parameter: contact.parameter }).value);
    for (const property of await propertiesOfScope(trx.tenant, id, contact.kind)) {
      const value = await findValue(trx.tenant, property.id, id);
      if (value?.value !== wanted) continue;
      const now = epochSeconds(ctx.clock);
      await setVerified(trx.tenant, value.id, verified ? 1 : 0, now);
      await recordActivity(trx, id, verified ? 'verified' : 'unverified', { kind: contact.kind, value: JSON.parse(wanted) as unknown }, now);
      return;
    }
    throw new DomainError('not_found', `The profile has no ${contact.kind} ${String(contact.value)}.`, contact.parameter);
  });
}
