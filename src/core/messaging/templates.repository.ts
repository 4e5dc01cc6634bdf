import type { Insertable, Updateable } from 'kysely';
import type { TemplatesTable, TemplateState } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';
import type { TenantDb } from '../shared/tenant.js';
import type { ChannelRow } from './channels.model.js';
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

/** The business's first active WhatsApp Cloud channel, whose account reviews its templates. */
export function activeWhatsappCloudChannel(tenant: TenantDb): Promise<ChannelRow | undefined> {
  return tenant.selectFrom('channels').selectAll().where('technology', '=', 'whatsapp').where('provider', '=', 'whatsapp-cloud').where('active', '=', 1).orderBy('id').executeTakeFirst();
}

/** Whether another template of the business (deleted ones too: WhatsApp keeps their names) holds this WhatsApp name. */
export async function providerNameTaken(tenant: TenantDb, providerName: string, exceptId: number): Promise<boolean> {
  const row = await tenant.selectFrom('templates').select('id').where('provider_template_name', '=', providerName).where('id', '!=', exceptId).executeTakeFirst();
  return row !== undefined;
}

/** A live template by the name and language WhatsApp knows it by (a status that outran our record of its id). */
export function findTemplateByProviderName(tenant: TenantDb, providerName: string, language: string | undefined): Promise<TemplateRow | undefined> {
  return tenant
    .selectFrom('templates')
    .selectAll()
    .where('provider_template_name', '=', providerName)
    .$if(language !== undefined, (query) => query.where('language', '=', language ?? ''))
    .where('deleted_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * Live templates WhatsApp has not taken for review: `any` ones approved before the business
 * had WhatsApp and, with `pending`, WhatsApp ones whose submission never got through.
 */
export async function templatesAwaitingWhatsapp(tenant: TenantDb, options: { pending: boolean }): Promise<number[]> {
  const rows = await tenant
    .selectFrom('templates')
    .select('id')
    .where('deleted_at', 'is', null)
    .where('submitted_at', 'is', null)
    .where((eb) => {
      const adoptable = eb.and([eb('technology', '=', 'any'), eb('targets_whatsapp', '=', 0), eb('state', '=', 'approved')]);
      return options.pending ? eb.or([adoptable, eb.and([eb('targets_whatsapp', '=', 1), eb('state', '=', 'pending')])]) : adoptable;
    })
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * An `any` template approved for SMS before the business had WhatsApp, still waiting for
 * WhatsApp's review of it (its state is SMS's, see templates.states.ts); `changes` applied.
 */
export function updateAdoptedTemplate(tenant: TenantDb, id: number, changes: TemplateChanges): Promise<TemplateRow | undefined> {
  return tenant
    .updateTable('templates')
    .set(changes)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('technology', '=', 'any')
    .where('targets_whatsapp', '=', 0)
    .where('state', '=', 'approved')
    .returningAll()
    .executeTakeFirst();
}
