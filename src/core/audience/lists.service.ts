import type { KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, notFound, refusingDuplicates } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { findProfile } from './profiles.repository.js';
import { recordActivity } from './activity.service.js';
import {
  addMember,
  deleteListRow,
  ensureList,
  findList,
  findListByName,
  insertList,
  listsOfProfiles,
  pageOfLists,
  removeMember,
  renameList,
  type ListRow,
} from './lists.repository.js';

export interface List {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
}

/** How a client names a list: by id (already decoded) or by name, as the spec allows everywhere. */
export interface ListRef {
  readonly id?: number | undefined;
  readonly name: string;
}

const MAX_NAME = 200;

export const toList = (row: ListRow): List => ({ id: row.id, name: row.name, createdAt: row.created_at });

/** Names compare case-insensitively and without surrounding blanks. */
export const listNameKey = (name: string): string => name.trim().toLowerCase();

function checkedName(name: string | undefined): string {
  if (name === undefined) throw new DomainError('missing', 'This parameter is required.', 'name');
  const trimmed = name.trim();
  if (trimmed === '') throw new DomainError('empty', 'A list needs a name.', 'name');
  if (trimmed.length > MAX_NAME) throw new DomainError('invalid', `A list name has at most ${MAX_NAME} characters.`, 'name');
  return trimmed;
}

async function assertNameFree(ctx: TenantContext, name: string, exceptId?: number): Promise<void> {
  const holder = await findListByName(ctx.tenant, listNameKey(name));
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', `A list named "${holder.name}" already exists.`, 'name');
}

/** The list a reference names: the id when it is one of ours, else the name. */
export async function resolveList(ctx: TenantContext, ref: ListRef): Promise<ListRow> {
  const byId = ref.id === undefined ? undefined : await findList(ctx.tenant, ref.id);
  const row = byId ?? (await findListByName(ctx.tenant, listNameKey(ref.name)));
  if (!row) throw notFound('List');
  return row;
}

export async function createList(ctx: TenantContext, input: { name?: string | undefined }): Promise<List> {
  const name = checkedName(input.name);
  return inTransaction(ctx, async (trx) => {
    await assertNameFree(trx, name);
    const insert = () => insertList(trx.tenant, name, listNameKey(name), epochSeconds(ctx.clock));
    return toList(await refusingDuplicates(ctx.caps, 'name', `A list named "${name}" already exists.`, insert));
  });
}

export async function getList(ctx: TenantContext, ref: ListRef): Promise<List> {
  return toList(await resolveList(ctx, ref));
}

export async function renameExistingList(ctx: TenantContext, ref: ListRef, input: { name?: string | undefined }): Promise<List> {
  const name = checkedName(input.name);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveList(trx, ref);
    await assertNameFree(trx, name, row.id);
    const rename = () => renameList(trx.tenant, row.id, name, listNameKey(name), epochSeconds(ctx.clock));
    await refusingDuplicates(ctx.caps, 'name', `A list named "${name}" already exists.`, rename);
    return { ...toList(row), name };
  });
}

export async function deleteList(ctx: TenantContext, ref: ListRef): Promise<List> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveList(trx, ref);
    await deleteListRow(trx.tenant, row.id);
    return toList(row);
  });
}

export async function listLists(ctx: TenantContext, bounds: KeyBounds, namePrefix?: string): Promise<List[]> {
  const prefix = namePrefix?.trim().toLowerCase();
  return (await pageOfLists(ctx.tenant, bounds, prefix || undefined)).map(toList);
}

async function existingProfile(ctx: TenantContext, profileId: number): Promise<void> {
  if (!(await findProfile(ctx.tenant, profileId))) throw notFound('Profile', 'profile');
}

export async function addProfileToList(ctx: TenantContext, ref: ListRef, profileId: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const list = await resolveList(trx, ref);
    await existingProfile(trx, profileId);
    if (await addMember(trx.tenant, list.id, profileId, epochSeconds(ctx.clock))) await recordActivity(trx, profileId, 'list_added', { list: list.name });
  });
}

export async function removeProfileFromList(ctx: TenantContext, ref: ListRef, profileId: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const list = await resolveList(trx, ref);
    await existingProfile(trx, profileId);
    if (await removeMember(trx.tenant, list.id, profileId)) await recordActivity(trx, profileId, 'list_removed', { list: list.name });
  });
}

/**
 * Makes the profile a member of these lists, by name, creating missing ones. With `replace`
 * (profile update: the spec's "all list names", where `[]` leaves every list) memberships not
 * named end; the ones kept keep their date. Runs inside the caller's transaction.
 */
export async function setProfileLists(ctx: TenantContext, profileId: number, names: readonly string[], options: { replace: boolean }): Promise<void> {
  // The first spelling of a name given twice (in any case) is the one a new list gets.
  const wanted = new Map<string, string>();
  for (const name of names) if (listNameKey(name) !== '' && !wanted.has(listNameKey(name))) wanted.set(listNameKey(name), name.trim());
  const now = epochSeconds(ctx.clock);
  if (options.replace) {
    for (const list of await listsOfProfiles(ctx.tenant, [profileId])) {
      if (!wanted.has(list.name_key) && (await removeMember(ctx.tenant, list.id, profileId))) await recordActivity(ctx, profileId, 'list_removed', { list: list.name }, now);
    }
  }
  for (const [key, name] of wanted) {
    const list = await ensureList(ctx.tenant, checkedName(name), key, now);
    if (await addMember(ctx.tenant, list.id, profileId, now)) await recordActivity(ctx, profileId, 'list_added', { list: list.name }, now);
  }
}
