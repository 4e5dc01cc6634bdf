import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/**
 * WhatsApp Cloud template submission: the name a template is known by at Meta (lower-case
 * letters, digits and underscores, derived once and then fixed, since sends name it), when the
 * current version was taken for review (cleared by an edit, so a repeated job never submits a
 * version twice), and an index for the status webhooks, which name Meta's template id.
 */
export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  await db.schema.alterTable('templates').addColumn('provider_template_name', 'varchar(512)').execute();
  await db.schema.alterTable('templates').addColumn('submitted_at', caps.bigIntType).execute();
  await db.schema.createIndex('templates_provider_template_idx').on('templates').columns(['business_id', 'provider_template_id']).execute();
  await db.schema.createIndex('templates_provider_name_idx').on('templates').columns(['business_id', 'provider_template_name']).execute();
}
