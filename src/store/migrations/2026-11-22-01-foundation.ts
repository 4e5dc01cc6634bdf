import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/** Businesses (tenants), their API keys, install-wide settings and the job outbox. */
export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  await db.schema
    .createTable('install_settings')
    .addColumn('key', 'varchar(100)', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('businesses')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('uuid', 'varchar(36)', (col) => col.notNull().unique())
    .addColumn('public_id', 'varchar(40)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('country', 'varchar(2)', (col) => col.notNull())
    .addColumn('currency', 'varchar(3)', (col) => col.notNull())
    .addColumn('timezone', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();

  // api_keys is looked up by hash before the tenant is known, so its unique index cannot
  // start with business_id; on a sharded PostgreSQL it is a reference table (docs/architecture.md).
  await db.schema
    .createTable('api_keys')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('prefix', 'varchar(32)', (col) => col.notNull())
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('surfaces', 'varchar(200)')
    .addColumn('name', 'varchar(200)')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('revoked_at', caps.bigIntType)
    .execute();
  await db.schema.createIndex('api_keys_business_idx').on('api_keys').columns(['business_id', 'id']).execute();
  await db.schema.createIndex('api_keys_prefix_idx').on('api_keys').column('prefix').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.references('businesses.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(100)', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('state', 'varchar(16)', (col) => col.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (col) => col.notNull())
    .addColumn('run_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('locked_by', 'varchar(100)')
    .addColumn('locked_until', caps.bigIntType)
    .addColumn('last_error', 'text')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  // The claim query scans due work in run_at order per state; dead jobs are listed per business.
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('jobs_business_idx').on('jobs').columns(['business_id', 'state']).execute();
}
