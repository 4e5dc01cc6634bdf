import type { Insertable, Updateable } from 'kysely';
import type { TemplatesTable, TemplateState } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';
import type { TemplateRow } from './templates.model.js';

export type TemplateValues = Omit<Insertable<TemplatesTable>, 'id' | 'business_id' | 'created_at' | 'updated_at'>;
export type TemplateChanges = Omit<Updateable<TemplatesTable>, 'id' | 'business_id' | 'created_at'>;

export function insertTemplate(tenant: TenantDb, values: TemplateValues, at: number): Promise<TemplateRow> {
  return tenant.db
    .insertInto('templates')
    .values({ ...values, business_id: tenant.businessId, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A template that was not deleted; `lock` holds it until the transaction ends (PostgreSQL). */
export function findTemplate(tenant: TenantDb, id: number, options: { lock: boolean } = { lock: false }): Promise<TemplateRow | undefined> {
  return tenant
    .selectFrom('templates')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .$if(options.lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** Deleted ones too: jobs and provider callbacks find what they were about. */
export function findTemplateRow(tenant: TenantDb, id: number): Promise<TemplateRow | undefined> {
  return tenant.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTemplateByName(tenant: TenantDb, name: string): Promise<TemplateRow | undefined> {
  return tenant.selectFrom('templates').selectAll().where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst();
}

export function findTemplateByProviderId(tenant: TenantDb, providerTemplateId: string): Promise<TemplateRow | undefined> {
  return tenant.selectFrom('templates').selectAll().where('provider_template_id', '=', providerTemplateId).orderBy('id', 'desc').executeTakeFirst();
}

/** The latest deletion of an approved (or paused) WhatsApp template named `name` after `since`. */
export function deletedApprovedWhatsappName(tenant: TenantDb, name: string, since: number): Promise<Pick<TemplateRow, 'deleted_at'> | undefined> {
  return tenant
    .selectFrom('templates')
    .select('deleted_at')
    .where('name', '=', name)
    .where('deleted_at', '>', since)
    .where('targets_whatsapp', '=', 1)
    .where('state', 'in', ['approved', 'paused'])
    .orderBy('deleted_at', 'desc')
    .executeTakeFirst();
}

export function pageOfTemplates(tenant: TenantDb, bounds: KeyBounds): Promise<TemplateRow[]> {
  return withKeyBounds(tenant.selectFrom('templates').selectAll().where('deleted_at', 'is', null), 'id', bounds).execute();
}

export function updateTemplateRow(tenant: TenantDb, id: number, changes: TemplateChanges): Promise<TemplateRow> {
  return tenant.updateTable('templates').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/**
 * Moves a live template from one of `from` to a new state; undefined when it is deleted or in
 * another state by now (a provider's late answer, a job that ran twice).
 */
export function transitionTemplate(tenant: TenantDb, id: number, from: readonly TemplateState[], changes: TemplateChanges): Promise<TemplateRow | undefined> {
  return tenant
    .updateTable('templates')
    .set(changes)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

/** Providers of the business's active WhatsApp channels: an empty list means WhatsApp is not integrated. */
export async function activeWhatsappProviders(tenant: TenantDb): Promise<string[]> {
  const rows = await tenant.selectFrom('channels').select('provider').where('technology', '=', 'whatsapp').where('active', '=', 1).orderBy('id').execute();
  return rows.map((row) => row.provider);
}
