import { sql, type Expression, type SqlBool } from 'kysely';
import { businessCountry } from '../business/business-country.js';
import { invalid } from '../shared/errors.js';
import type { PageRequest } from '../shared/pagination.js';
import type { TenantContext } from '../shared/tenant.js';
import { hydrateProfiles, type Profile } from './profile.model.js';
import { findProfile, type ProfileRow } from './profiles.repository.js';
import { foldName } from './profiles.service.js';
import { parsePropertyValue } from './property-values.js';

/** Matches past which a `property` term is walked in order rather than looked up. */
const COMMON_TERM = 2000;

export const PROFILE_ORDERS = ['activity', 'alphabetically', 'created_at'] as const;
export type ProfileOrder = (typeof PROFILE_ORDERS)[number];

/** The spec: "If an invalid value is specified, the default order is used." */
export function profileOrder(requested: string | undefined): ProfileOrder {
  return PROFILE_ORDERS.find((order) => order === requested) ?? 'activity';
}

export interface ProfileSearch {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  /** Matches any property value. */
  readonly property?: string | undefined;
  readonly order: ProfileOrder;
}

/** How each order sorts: its key column and direction (ties broken by id, same direction). */
const ORDERS: Record<ProfileOrder, { column: 'activity_at' | 'sort_name' | 'id'; direction: 'asc' | 'desc' }> = {
  activity: { column: 'activity_at', direction: 'desc' },
  alphabetically: { column: 'sort_name', direction: 'asc' },
  created_at: { column: 'id', direction: 'desc' },
};

/** Normalised forms a search text may have been stored under (see property values' searchText). */
function searchForms(text: string, country: string): string[] {
  const forms = new Set([text.trim().toLowerCase().slice(0, 255)]);
  for (const kind of ['email', 'phone', 'number'] as const) {
    try {
      forms.add(parsePropertyValue(kind, text, { country, parameter: kind }).searchText.slice(0, 255));
    } catch {
      // Not an email, a phone number or a number: the plain form stands.
    }
  }
  return [...forms];
}

/**
 * Lists profiles under any of the three orders with keyset pagination: the cursor is a
 * profile id whose position is found by that order's key, ties broken by id, so pages stay
 * stable while profiles are added or become active.
 */
export async function searchProfiles(ctx: TenantContext, search: ProfileSearch, page: PageRequest): Promise<Profile[]> {
  const country = await businessCountry(ctx);
  const { column, direction } = ORDERS[search.order];

  const cursorRow = async (id: number | undefined): Promise<ProfileRow | undefined> => {
    if (id === undefined) return undefined;
    const row = await findProfile(ctx.tenant, id);
    if (!row) throw invalid(page.startingAfter === id ? 'starting_after' : 'ending_before', 'No profile has this id.');
    return row;
  };
  const after = await cursorRow(page.startingAfter);
  const before = await cursorRow(page.endingBefore);
  // Reading towards the start of the order (ending_before alone) walks backwards from it.
  const backwards = before !== undefined && after === undefined;
  const forward = direction === 'desc' ? '<' : '>';
  const backward = direction === 'desc' ? '>' : '<';

  let query = ctx.tenant.selectFrom('profiles').selectAll();
  const valuesMatching = (kind: string | undefined, forms: string[]) => {
    let values = ctx.tenant.selectFrom('property_values').select('profile_id').where('search_text', 'in', forms);
    if (kind) values = values.where('kind', '=', kind);
    return values;
  };
  if (search.email) query = query.where('id', 'in', valuesMatching('email', [search.email.trim().toLowerCase()]));
  if (search.phone) query = query.where('id', 'in', valuesMatching('phone', searchForms(search.phone, country)));
  if (search.property) {
    const terms = searchForms(search.property, country);
    // A rare term is fastest found through its index and then sorted; a common one (half the
    // profiles are "male") by walking the order and probing each profile, which stops at the
    // page. Counting up to a threshold tells which this is.
    const probe = await ctx.tenant.db
      .selectFrom('property_terms')
      .select('profile_id')
      .where('business_id', '=', ctx.businessId)
      .where('term', 'in', terms)
      .limit(COMMON_TERM)
      .execute();
    const ofProfile = (profileRef: Expression<number>) =>
      ctx.tenant.db.selectFrom('property_terms').select('profile_id').where('business_id', '=', ctx.businessId).where('profile_id', '=', profileRef).where('term', 'in', terms);
    query =
      probe.length < COMMON_TERM
        ? query.where('id', 'in', [...new Set(probe.map((row) => row.profile_id)), 0])
        : query.where((eb) => eb.exists(ofProfile(eb.ref('profiles.id'))));
  }
  if (search.firstName) query = query.where('first_name_key', '=', foldName(search.firstName));
  if (search.lastName) query = query.where('last_name_key', '=', foldName(search.lastName));

  const beyond = (row: ProfileRow, operator: '<' | '>'): Expression<SqlBool> =>
    column === 'id' ? sql<SqlBool>`id ${sql.raw(operator)} ${row.id}` : sql<SqlBool>`(${sql.ref(column)}, id) ${sql.raw(operator)} (${row[column]}, ${row.id})`;
  if (after) query = query.where(beyond(after, forward));
  if (before) query = query.where(beyond(before, backward));

  const order = backwards ? (direction === 'desc' ? 'asc' : 'desc') : direction;
  if (column !== 'id') query = query.orderBy(column, order);
  const rows = await query.orderBy('id', order).limit(page.limit).execute();
  if (backwards) rows.reverse();
  return hydrateProfiles(ctx, rows);
}
