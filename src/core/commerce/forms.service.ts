import type { KeyBounds } from '../shared/pagination.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, missing, notFound, refusingDuplicates } from '../shared/errors.js';
import { metadataText, parseMetadata } from '../shared/metadata.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { deleteFormRow, findForm, findFormByName, insertForm, pageOfForms, updateFormRow, type FormRow } from './forms.repository.js';

/** A form a business's customers fill in: the logical group of its form.completed events. */
export interface Form {
  readonly id: number;
  readonly name: string;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: number;
}

/** Parameters as given: `undefined` is "not given", `null` an explicit null. */
export interface FormInput {
  readonly name?: string | null | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
}

const MAX_NAME = 200;

export const toForm = (row: FormRow): Form => ({ id: row.id, name: row.name, metadata: parseMetadata(row.metadata), createdAt: row.created_at });

/** Trimmed; required on create; on update `undefined` keeps the name and an empty one is refused. */
function checkedName(name: string | null | undefined, required: boolean): string | undefined {
  if (required && (name === undefined || name === null)) throw missing('name');
  if (name === undefined) return undefined;
  const trimmed = (name ?? '').trim();
  if (trimmed === '') throw new DomainError('empty', 'A form needs a name.', 'name');
  if (trimmed.length > MAX_NAME) throw invalid('name', `A form name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

const duplicate = (name: string) => `A form named "${name}" already exists.`;

async function assertNameFree(ctx: TenantContext, name: string, exceptId?: number): Promise<void> {
  const holder = await findFormByName(ctx.tenant, name);
  if (holder && holder.id !== exceptId) throw new DomainError('not_unique', duplicate(name), 'name');
}

/** The form with this id, or `not_found` about `parameter`. */
export async function resolveForm(ctx: TenantContext, id: number, parameter = 'id'): Promise<FormRow> {
  const row = await findForm(ctx.tenant, id);
  if (!row) throw notFound('Form', parameter);
  return row;
}

/** Creates a form; usable inside the caller's transaction (event tracking's `form_parameters`). */
export async function createForm(ctx: TenantContext, input: FormInput): Promise<Form> {
  const name = checkedName(input.name, true) ?? '';
  const metadata = metadataText(input.metadata) ?? '{}';
  return inTransaction(ctx, async (trx) => {
    await assertNameFree(trx, name);
    const insert = () => insertForm(trx.tenant, { name, metadata, at: epochSeconds(ctx.clock) });
    return toForm(await refusingDuplicates(ctx.caps, 'name', duplicate(name), insert));
  });
}

export async function getForm(ctx: TenantContext, id: number): Promise<Form> {
  return toForm(await resolveForm(ctx, id));
}

/** Changes what is given; `metadata` replaces the hash. */
export async function updateForm(ctx: TenantContext, id: number, input: FormInput): Promise<Form> {
  const name = checkedName(input.name, false);
  const metadata = metadataText(input.metadata);
  return inTransaction(ctx, async (trx) => {
    const row = await resolveForm(trx, id);
    if (name !== undefined) await assertNameFree(trx, name, row.id);
    const update = () => updateFormRow(trx.tenant, row.id, { name, metadata, updated_at: epochSeconds(ctx.clock) });
    return toForm(await refusingDuplicates(ctx.caps, 'name', duplicate(name ?? row.name), update));
  });
}

export async function deleteForm(ctx: TenantContext, id: number): Promise<Form> {
  return inTransaction(ctx, async (trx) => {
    const row = await resolveForm(trx, id);
    await deleteFormRow(trx.tenant, row.id);
    return toForm(row);
  });
}

export async function listForms(ctx: TenantContext, bounds: KeyBounds): Promise<Form[]> {
  return (await pageOfForms(ctx.tenant, bounds)).map(toForm);
}
