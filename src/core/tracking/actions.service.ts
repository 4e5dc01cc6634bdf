import type { Flag } from '../../store/tables.js';
import type { KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound, refusingDuplicates } from '../shared/errors.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import {
  actionsNamed,
  deleteActionRow,
  findAction,
  findActionByName,
  insertAction,
  insertMissingActions,
  pageOfCustomActions,
  updateActionRow,
  type ActionRow,
} from './actions.repository.js';

/**
 * Actions name what an event records. Built-in ones (order.placed, …) exist for every
 * business; custom ones are the business's own (signup_form.completed).
 */
export interface Action {
  readonly id: number;
  readonly name: string;
  readonly title: string;
  /** Counted as a KPI in campaign and journey reports. */
  readonly goal: boolean;
  /** A passive event leaves the conversation where it is in the inbox. */
  readonly passive: boolean;
  readonly builtin: boolean;
  readonly createdAt: number;
}

/** Parameters as given: `undefined` is "not given", `null` an explicit null. */
export interface ActionInput {
  readonly name?: string | null | undefined;
  readonly title?: string | null | undefined;
  readonly goal?: boolean | undefined;
  readonly passive?: boolean | undefined;
}

interface BuiltinAction {
  readonly title: string;
  readonly passive: boolean;
}

/**
 * The built-in actions of the Hellotext reference. The non-passive ones need the business's
 * attention (an abandoned cart, a completed form, a new order, a refund request), so they
 * move the conversation to the top of the inbox.
 */
export const BUILTIN_ACTIONS = {
  'app.installed': { title: 'App installed', passive: true },
  'app.removed': { title: 'App removed', passive: true },
  'app.spent': { title: 'Spent in app', passive: true },
  'cart.added': { title: 'Added to cart', passive: true },
  'cart.removed': { title: 'Removed from cart', passive: true },
  'cart.abandoned': { title: 'Cart abandoned', passive: false },
  'coupon.redeemed': { title: 'Coupon redeemed', passive: true },
  'form.completed': { title: 'Form completed', passive: false },
  'order.placed': { title: 'Order placed', passive: false },
  'order.confirmed': { title: 'Order confirmed', passive: true },
  'order.cancelled': { title: 'Order cancelled', passive: true },
  'order.delivered': { title: 'Order delivered', passive: true },
  'order.printed_label': { title: 'Order label printed', passive: true },
  'order.shipped': { title: 'Order shipped', passive: true },
  'product.purchased': { title: 'Product purchased', passive: true },
  'product.viewed': { title: 'Product viewed', passive: true },
  'refund.requested': { title: 'Refund requested', passive: false },
  'refund.received': { title: 'Refund received', passive: true },
} as const satisfies Readonly<Record<string, BuiltinAction>>;

export type BuiltinActionName = keyof typeof BUILTIN_ACTIONS;

export const isBuiltinAction = (name: string): name is BuiltinActionName => Object.hasOwn(BUILTIN_ACTIONS, name);

const MAX_TEXT = 200;

const flag = (value: boolean): Flag => (value ? 1 : 0);

export const toAction = (row: ActionRow): Action => ({
  id: row.id,
  name: row.name,
  title: row.title,
  goal: row.goal === 1,
  passive: row.passive === 1,
  builtin: row.builtin === 1,
  createdAt: row.created_at,
});

/** Trimmed; required on create; on update `undefined` keeps the name and an empty one is refused. */
function checkedName(name: string | null | undefined, required: boolean): string | undefined {
  if (required && (name === undefined || name === null)) throw missing('name');
  if (name === undefined) return undefined;
  const trimmed = (name ?? '').trim();
  if (trimmed === '') throw new DomainError('empty', 'An action needs a name.', 'name');
  if (trimmed.length > MAX_TEXT) throw invalid('name', `An action name has at most ${MAX_TEXT} characters.`);
  if (isBuiltinAction(trimmed)) throw new DomainError('not_unique', `"${trimmed}" is a built-in action.`, 'name');
  return trimmed;
}

/** Trimmed; null or empty means "the same as the name". */
function checkedTitle(title: string | null | undefined): string | null | undefined {
  if (title === undefined) return undefined;
  const trimmed = (title ?? '').trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_TEXT) throw invalid('title', `A title has at most ${MAX_TEXT} characters.`);
  return trimmed;
}

const duplicate = (name: string) => `An action named "${name}" already exists.`;

async function assertNameFree(ctx: TenantContext, name: string, exceptId?: number): Promise<void> {
  const holder = await findActionByName(ctx.tenant, name);
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', duplicate(name), 'name');
}

/** Any action of the business by id, built-in ones included (events show their ids). */
export async function resolveAction(ctx: TenantContext, id: number, parameter = 'id'): Promise<ActionRow> {
  const row = await findAction(ctx.tenant, id);
  if (!row) throw notFound('Action', parameter);
  return row;
}

async function customAction(ctx: TenantContext, id: number): Promise<ActionRow> {
  const row = await resolveAction(ctx, id);
  if (row.builtin === 1) throw new DomainError('not_allowed', `"${row.name}" is a built-in action: it cannot be changed or deleted.`, 'id');
  return row;
}

export async function createAction(ctx: TenantContext, input: ActionInput): Promise<Action> {
  const name = checkedName(input.name, true) ?? '';
  const title = checkedTitle(input.title) ?? name;
  return inTransaction(ctx, async (trx) => {
    await assertNameFree(trx, name);
    const now = epochSeconds(ctx.clock);
    const values = { name, title, goal: flag(input.goal ?? false), passive: flag(input.passive ?? true), builtin: 0 as const, created_at: now, updated_at: now };
    return toAction(await refusingDuplicates(ctx.caps, 'name', duplicate(name), () => insertAction(trx.tenant, values)));
  });
}

export async function getAction(ctx: TenantContext, id: number): Promise<Action> {
  return toAction(await resolveAction(ctx, id));
}

/**
 * A partial update of a custom action. A title that was the name (the default) follows a
 * rename; an empty title resets it to the name.
 */
export async function updateAction(ctx: TenantContext, id: number, input: ActionInput): Promise<Action> {
  const name = checkedName(input.name, false);
  const title = checkedTitle(input.title);
  return inTransaction(ctx, async (trx) => {
    const row = await customAction(trx, id);
    if (name !== undefined) await assertNameFree(trx, name, row.id);
    const newName = name ?? row.name;
    const newTitle = title === undefined ? (row.title === row.name ? newName : undefined) : (title ?? newName);
    const changes = {
      name,
      title: newTitle,
      goal: input.goal === undefined ? undefined : flag(input.goal),
      passive: input.passive === undefined ? undefined : flag(input.passive),
      updated_at: epochSeconds(ctx.clock),
    };
    return toAction(await refusingDuplicates(ctx.caps, 'name', duplicate(newName), () => updateActionRow(trx.tenant, row.id, changes)));
  });
}

/** Deletes a custom action with every event tracked for it (and their trail entries). */
export async function deleteAction(ctx: TenantContext, id: number): Promise<Action> {
  return inTransaction(ctx, async (trx) => {
    const row = await customAction(trx, id);
    await deleteActionRow(trx.tenant, row.id);
    return toAction(row);
  });
}

/** The business's custom actions, newest first. */
export async function listActions(ctx: TenantContext, bounds: KeyBounds): Promise<Action[]> {
  return (await pageOfCustomActions(ctx.tenant, bounds)).map(toAction);
}

/**
 * The actions with these names, for event tracking: existing rows, and a row made now for
 * each built-in name the business tracks for the first time. Names that are neither are
 * absent; the caller refuses them. Safe under concurrent callers (a row another writer made
 * first is the one returned) and inside the caller's transaction.
 */
export async function actionsByName(ctx: TenantContext, names: readonly string[]): Promise<Map<string, ActionRow>> {
  const wanted = [...new Set(names)];
  const found = new Map((await actionsNamed(ctx.tenant, wanted)).map((row) => [row.name, row]));
  // Sorted, so concurrent writers of several new names take their index locks in one order.
  const missingBuiltins = wanted.filter((name): name is BuiltinActionName => !found.has(name) && isBuiltinAction(name)).sort();
  if (missingBuiltins.length === 0) return found;
  const now = epochSeconds(ctx.clock);
  await insertMissingActions(
    ctx.tenant,
    missingBuiltins.map((name) => {
      const builtin = BUILTIN_ACTIONS[name];
      return { name, title: builtin.title, goal: 0, passive: flag(builtin.passive), builtin: 1, created_at: now, updated_at: now };
    }),
  );
  for (const row of await actionsNamed(ctx.tenant, missingBuiltins)) found.set(row.name, row);
  return found;
}
