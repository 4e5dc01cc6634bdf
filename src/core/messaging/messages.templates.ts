/** The template a message is sent from: live (not deleted) and of this business. */
import type { TenantDb } from '../shared/tenant.js';
import type { TemplateRow } from './templates.model.js';

export function findLiveTemplate(tenant: TenantDb, id: number): Promise<TemplateRow | undefined> {
  return tenant.selectFrom('templates').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}
