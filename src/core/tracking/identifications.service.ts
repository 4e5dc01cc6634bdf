import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js';
import { recordActivity } from '../audience/activity.service.js';
import { searchProfiles } from '../audience/profile-search.js';
import { profileIdByReference } from '../audience/profiles.repository.js';
import { createProfile } from '../audience/profiles.service.js';
import { findBusinessByPublicId } from '../business/businesses.repository.js';
import type { CoreContext } from '../context.js';
import { DomainError, invalid, missing } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { lockSession } from './sessions.repository.js';
import { attachSession, checkedToken, findOrCreateSession } from './sessions.service.js';

/**
 * Browser and app tracking without the secret key: which business a public id names, and
 * the visitor identifying itself. Everything here may be called by anyone who read the
 * public id in a web page, so it only ever writes tracking data for a session the caller
 * holds the token of, and never returns or changes a profile.
 */

/** What a browser may learn of a business from its public id. */
export interface PublicBusiness {
  readonly id: number;
  readonly publicId: string;
  readonly country: string;
  /** The country's international calling code with "+", e.g. "+598"; null for a territory without one. */
  readonly callingCode: string | null;
  /** Language of the business's pages (see `localeOf`). */
  readonly locale: string;
}

/**
 * Businesses store no language of their own: the locale is the country's most likely
 * language (CLDR likely subtags: UY → es, BR → pt, NL → nl), English when there is none.
 */
export function localeOf(country: string): string {
  try {
    return new Intl.Locale(`und-${country}`).maximize().language;
  } catch {
    return 'en';
  }
}

/** libphonenumber names no calling code for a few territories (AQ, BV, HM…): null there. */
const callingCodeOf = (country: string): string | null => (isSupportedCountry(country) ? `+${getCountryCallingCode(country)}` : null);

/**
 * The business a public id names, looked up before any tenant is known (like an API key);
 * undefined for an unknown id. The public id is never a secret: it only authorises writing
 * tracking data.
 */
export async function businessOfPublicId(ctx: CoreContext, publicId: string): Promise<PublicBusiness | undefined> {
  if (publicId.length === 0 || publicId.length > 64) return undefined;
  const row = await findBusinessByPublicId(ctx.db, publicId);
  if (!row) return undefined;
  return { id: row.id, publicId: row.public_id, country: row.country, callingCode: callingCodeOf(row.country), locale: localeOf(row.country) };
}

/** A visitor's identification, as the browser library sends it after a sign-in. */
export interface IdentificationInput {
  /** The session token the browser holds (never a session id: ids are not secrets). */
  readonly session: string | undefined;
  /** The business's own id of the customer: the profile's `reference`. */
  readonly userId?: string | undefined;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  /** A full name, split at its first space when no first or last name is given. */
  readonly name?: string | undefined;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  /** Where the identification happened (a platform, a form): kept in the profile's trail. */
  readonly source?: string | undefined;
}

const MAX_SOURCE = 100;

function names(input: IdentificationInput): { firstName?: string; lastName?: string } {
  if (input.firstName !== undefined || input.lastName !== undefined) return { firstName: input.firstName, lastName: input.lastName };
  const name = input.name?.trim();
  if (!name) return {};
  const space = name.indexOf(' ');
  return space === -1 ? { firstName: name } : { firstName: name.slice(0, space), lastName: name.slice(space + 1).trim() };
}

/** The first profile matching the reference, else the email, else the phone. */
async function matchingProfile(ctx: TenantContext, input: IdentificationInput): Promise<number | undefined> {
  if (input.userId) {
    const byReference = await profileIdByReference(ctx.tenant, input.userId);
    if (byReference !== undefined) return byReference;
  }
  const page = { limit: 1 };
  for (const search of [input.email ? { email: input.email } : undefined, input.phone ? { phone: input.phone } : undefined]) {
    if (!search) continue;
    const [profile] = await searchProfiles(ctx, { ...search, order: 'created_at' }, page);
    if (profile) return profile.id;
  }
  return undefined;
}

const anotherVisitor = () =>
  new DomainError(
    'session_assigned_to_another_profile',
    'This session belongs to another visitor who identified on this browser before; start a new session and identify that one.',
    'session',
  );

async function identifyOnce(ctx: TenantContext, input: IdentificationInput, token: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const session = await findOrCreateSession(trx, { token }, 'client');
    // Locked where the database has row locks: two identifications of one session at once
    // queue, and the second sees the first's profile.
    const owner = (await lockSession(trx.tenant, session.id, trx.caps.rowLocks))?.profile_id ?? null;
    const matched = await matchingProfile(trx, input);
    // A shared device: the session is the previous visitor's, and so is what it tracked.
    // Only the secret key (PATCH /v1/sessions) may move it; a browser starts a new session.
    if (owner !== null && owner !== matched) throw anotherVisitor();
    if (owner !== null) return;
    // Only creates: an existing profile is never changed by a caller holding a public id.
    const profileId =
      matched ??
      (
        await createProfile(trx, {
          externalId: input.userId,
          ...names(input),
          contacts: [
            ...(input.email ? [{ kind: 'email' as const, target: { by: 'default' as const }, value: input.email, parameter: 'email' }] : []),
            ...(input.phone ? [{ kind: 'phone' as const, target: { by: 'default' as const }, value: input.phone, parameter: 'phone' }] : []),
          ],
        })
      ).id;
    await attachSession(trx, { id: session.id, token }, profileId);
    await recordActivity(trx, profileId, 'identified', { source: input.source ?? null });
  });
}

/**
 * Finds the visitor's profile (by reference, else email, else phone) or creates it, and
 * attaches the session to it, moving what the session tracked. A session already attached
 * to that profile is left as it is; one attached to another profile is refused with
 * `session_assigned_to_another_profile`. Returns nothing: a public caller never learns a
 * profile id.
 */
export async function identifyVisitor(ctx: TenantContext, input: IdentificationInput): Promise<void> {
  if (input.session === undefined || input.session === '') throw missing('session');
  const token = checkedToken(input.session);
  if (!input.userId && !input.email && !input.phone) {
    throw new DomainError('object_invalid', 'Identify the visitor with at least one of user_id, email or phone.', 'user_id');
  }
  if (input.source !== undefined && input.source.length > MAX_SOURCE) throw invalid('source', `At most ${MAX_SOURCE} characters.`);
  try {
    await identifyOnce(ctx, input, token);
  } catch (error) {
    // Two first identifications of one customer at once: the second finds the first's profile.
    if (!(error instanceof DomainError && error.code === 'not_unique')) throw error;
    await identifyOnce(ctx, input, token);
  }
}
