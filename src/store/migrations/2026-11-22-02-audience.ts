import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/**
 * The one customer record: profiles, property definitions and values, lists and their
 * members, the address suppression list, and the activity trail. Every unique index starts
 * with business_id.
 */
export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  await db.schema
    .createTable('profiles')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('first_name', 'varchar(200)')
    .addColumn('last_name', 'varchar(200)')
    // Keys the core derives (case and accents folded in JavaScript, the same on both
    // databases): equality search on names, and the alphabetical order (last, first).
    .addColumn('first_name_key', 'text', caps.binaryText)
    .addColumn('last_name_key', 'text', caps.binaryText)
    .addColumn('sort_name', 'text', (col) => caps.binaryText(col.notNull().defaultTo('')))
    .addColumn('external_id', 'varchar(200)')
    .addColumn('timezone', 'varchar(64)')
    .addColumn('language', 'varchar(16)')
    .addColumn('state', 'varchar(16)', (col) => col.notNull().defaultTo('unconfirmed'))
    .addColumn('opt_in_requested_at', caps.bigIntType)
    .addColumn('bounced', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('blocked', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    // Last event, message or change; starts at created_at so the default order needs no NULL handling.
    .addColumn('activity_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('cleared_at', caps.bigIntType)
    .execute();
  await db.schema.createIndex('profiles_business_id_idx').on('profiles').columns(['business_id', 'id']).execute();
  await db.schema.createIndex('profiles_activity_idx').on('profiles').columns(['business_id', 'activity_at', 'id']).execute();
  await db.schema.createIndex('profiles_sort_name_idx').on('profiles').columns(['business_id', 'sort_name', 'id']).execute();
  await db.schema.createIndex('profiles_first_name_idx').on('profiles').columns(['business_id', 'first_name_key']).execute();
  await db.schema.createIndex('profiles_last_name_idx').on('profiles').columns(['business_id', 'last_name_key']).execute();
  await db.schema.createIndex('profiles_external_id_idx').on('profiles').columns(['business_id', 'external_id']).unique().execute();

  await db.schema
    .createTable('properties')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (col) => col.notNull())
    .addColumn('name', 'varchar(200)')
    .addColumn('name_key', 'text')
    // 0 for business-wide properties, else the profile the property belongs to: names are
    // unique within a scope.
    .addColumn('scope_id', caps.bigIntType, (col) => col.notNull().defaultTo(0))
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('is_unique', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('properties_name_idx').on('properties').columns(['business_id', 'scope_id', 'name_key']).unique().execute();
  await db.schema.createIndex('properties_scope_idx').on('properties').columns(['business_id', 'scope_id', 'kind', 'position']).execute();

  await db.schema
    .createTable('property_values')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('property_id', caps.bigIntType, (col) => col.notNull().references('properties.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    // Normalised value (lower-cased email, E.164 phone, …), cut to 255 characters for the index.
    .addColumn('search_text', 'varchar(255)', (col) => col.notNull())
    // Set only while the property is unique: the database itself refuses a second holder.
    .addColumn('unique_key', 'varchar(300)')
    .addColumn('verified', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('property_values_owner_idx').on('property_values').columns(['business_id', 'property_id', 'profile_id']).unique().execute();
  await db.schema.createIndex('property_values_unique_idx').on('property_values').columns(['business_id', 'unique_key']).unique().execute();
  await db.schema.createIndex('property_values_search_idx').on('property_values').columns(['business_id', 'search_text']).execute();
  await db.schema.createIndex('property_values_profile_idx').on('property_values').columns(['business_id', 'profile_id']).execute();

  // What the `property` search finds a value by: its normalised form, each tag, each address
  // field, the usual forms of a date. Rows go with their value.
  await db.schema
    .createTable('property_terms')
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('value_id', caps.bigIntType, (col) => col.notNull().references('property_values.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.notNull())
    .addColumn('term', 'varchar(255)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('property_terms_term_idx').on('property_terms').columns(['business_id', 'term', 'profile_id']).execute();
  await db.schema.createIndex('property_terms_profile_idx').on('property_terms').columns(['business_id', 'profile_id', 'term']).execute();
  // By value_id alone: the cascade from a deleted value looks its terms up by it.
  await db.schema.createIndex('property_terms_value_idx').on('property_terms').column('value_id').execute();

  await db.schema
    .createTable('lists')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    // Lower-casing may lengthen a name (İ): keys are text.
    .addColumn('name_key', 'text', (col) => col.notNull())
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('lists_name_idx').on('lists').columns(['business_id', 'name_key']).unique().execute();

  await db.schema
    .createTable('list_members')
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('list_id', caps.bigIntType, (col) => col.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('list_members_pk').on('list_members').columns(['business_id', 'list_id', 'profile_id']).unique().execute();
  await db.schema.createIndex('list_members_profile_idx').on('list_members').columns(['business_id', 'profile_id']).execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (col) => col.notNull())
    .addColumn('address', 'varchar(320)', (col) => col.notNull())
    .addColumn('reason', 'varchar(200)', (col) => col.notNull())
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('suppressions_address_idx').on('suppressions').columns(['business_id', 'address']).unique().execute();

  await db.schema
    .createTable('profile_activity')
    .addColumn('id', caps.serialType, caps.serialColumn)
    .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(40)', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('occurred_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('profile_activity_profile_idx').on('profile_activity').columns(['business_id', 'profile_id', 'id']).execute();
}
