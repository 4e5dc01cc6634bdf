import { sql, type Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';
import { DEFAULT_RATES } from '../../core/commerce/default-rates.js';

/**
 * Tracking and commerce: actions, sessions, events and the objects events are tracked for
 * (apps, forms, coupons, products and their variants, orders, carts, refunds), plus the
 * installation's exchange rates. Money is stored as integers in ten-thousandths of the unit
 * (`*_e4`), so sums are exact on both databases. `message_id`, `campaign_id` and `journey_id` carry
 * attribution from a short-link session to what sent the link; they have no foreign key
 * because messages may be purged while revenue reports keep their figures.
 */
export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  const tenantTable = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', caps.serialType, caps.serialColumn)
      .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'));

  await tenantTable('actions')
    .addColumn('name', 'varchar(200)', (col) => caps.binaryText(col.notNull()))
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('goal', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('passive', 'integer', (col) => col.notNull().defaultTo(1))
    // Built-in actions (order.placed, …) get a row the first time a business tracks one.
    .addColumn('builtin', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('actions_name_idx').on('actions').columns(['business_id', 'name']).unique().execute();
  await db.schema.createIndex('actions_list_idx').on('actions').columns(['business_id', 'builtin', 'id']).execute();

  await tenantTable('sessions')
    // The unguessable token a browser holds (client uuid, or the hello_session of a short link).
    .addColumn('uuid', 'varchar(64)', (col) => caps.binaryText(col.notNull()))
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('set null'))
    .addColumn('message_id', caps.bigIntType)
    .addColumn('campaign_id', caps.bigIntType)
    .addColumn('journey_id', caps.bigIntType)
    .addColumn('source', 'varchar(16)', (col) => col.notNull())
    .addColumn('utm', 'text')
    .addColumn('first_seen_at', caps.bigIntType)
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_uuid_idx').on('sessions').columns(['business_id', 'uuid']).unique().execute();
  await db.schema.createIndex('sessions_profile_idx').on('sessions').columns(['business_id', 'profile_id']).execute();

  for (const name of ['apps', 'forms']) {
    let table = tenantTable(name).addColumn('name', 'varchar(200)', (col) => caps.binaryText(col.notNull()));
    if (name === 'apps') table = table.addColumn('image_url', 'text');
    await table
      .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
      .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
      .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
      .execute();
    await db.schema.createIndex(`${name}_name_idx`).on(name).columns(['business_id', 'name']).unique().execute();
  }

  await tenantTable('coupons')
    .addColumn('code', 'varchar(200)', (col) => caps.binaryText(col.notNull()))
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('destination_url', 'text', (col) => col.notNull())
    .addColumn('reference', 'varchar(200)')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('coupons_code_idx').on('coupons').columns(['business_id', 'code']).unique().execute();

  await tenantTable('products')
    .addColumn('name', 'varchar(500)', (col) => col.notNull())
    .addColumn('brand', 'varchar(200)')
    // JSON arrays of strings.
    .addColumn('categories', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('collection', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('tags', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();

  // A product's price, reference, sku, image and source are those of its default variant.
  await tenantTable('product_variants')
    .addColumn('product_id', caps.bigIntType, (col) => col.notNull().references('products.id').onDelete('cascade'))
    .addColumn('is_default', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('name', 'varchar(500)', (col) => col.notNull())
    .addColumn('price_e4', caps.bigIntType)
    .addColumn('currency', 'varchar(3)')
    .addColumn('reference', 'varchar(200)', caps.binaryText)
    .addColumn('sku', 'varchar(200)', caps.binaryText)
    .addColumn('image_url', 'text')
    .addColumn('source', 'varchar(200)')
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('product_variants_product_idx').on('product_variants').columns(['business_id', 'product_id', 'id']).execute();
  await db.schema.createIndex('product_variants_reference_idx').on('product_variants').columns(['business_id', 'reference']).execute();
  await db.schema.createIndex('product_variants_sku_idx').on('product_variants').columns(['business_id', 'sku']).execute();

  await tenantTable('orders')
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('set null'))
    .addColumn('session_id', caps.bigIntType, (col) => col.references('sessions.id').onDelete('set null'))
    .addColumn('delivery', 'varchar(16)')
    .addColumn('reference', 'varchar(200)', caps.binaryText)
    .addColumn('source', 'varchar(200)')
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    // Kept equal to the sum of the items by the core, in the order's currency.
    .addColumn('total_e4', caps.bigIntType, (col) => col.notNull().defaultTo(0))
    .addColumn('currency', 'varchar(3)', (col) => col.notNull())
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('orders_reference_idx').on('orders').columns(['business_id', 'reference']).execute();

  await tenantTable('carts')
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('set null'))
    .addColumn('session_id', caps.bigIntType, (col) => col.references('sessions.id').onDelete('set null'))
    .addColumn('reference', 'varchar(200)', caps.binaryText)
    .addColumn('source', 'varchar(200)')
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('carts_session_idx').on('carts').columns(['business_id', 'session_id']).execute();
  await db.schema.createIndex('carts_reference_idx').on('carts').columns(['business_id', 'reference']).execute();

  // An order's lines outlive their product: an acknowledged order keeps each line, its total
  // and the name and sku it was sold under, with product_id null (variant_id null for a
  // deleted variant). A cart is current state: its lines go with their product or variant.
  for (const [table, owner] of [['order_items', 'orders'], ['cart_items', 'carts']] as const) {
    const ownerColumn = owner === 'orders' ? 'order_id' : 'cart_id';
    const orderLine = table === 'order_items';
    await tenantTable(table)
      .addColumn(ownerColumn, caps.bigIntType, (col) => col.notNull().references(`${owner}.id`).onDelete('cascade'))
      .addColumn('product_id', caps.bigIntType, (col) =>
        orderLine ? col.references('products.id').onDelete('set null') : col.notNull().references('products.id').onDelete('cascade'),
      )
      .addColumn('variant_id', caps.bigIntType, (col) => col.references('product_variants.id').onDelete(orderLine ? 'set null' : 'cascade'))
      .$call((builder) => (orderLine ? builder.addColumn('name', 'varchar(500)', (col) => col.notNull()).addColumn('sku', 'varchar(200)', caps.binaryText) : builder))
      .addColumn('price_e4', caps.bigIntType, (col) => col.notNull())
      .addColumn('currency', 'varchar(3)', (col) => col.notNull())
      .addColumn('quantity', 'double precision', (col) => col.notNull())
      .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
      .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
      .execute();
    await db.schema.createIndex(`${table}_owner_idx`).on(table).columns(['business_id', ownerColumn, 'id']).execute();
    // The cascade from a deleted product or variant looks items up by these.
    await db.schema.createIndex(`${table}_product_idx`).on(table).column('product_id').execute();
    await db.schema.createIndex(`${table}_variant_idx`).on(table).column('variant_id').execute();
  }

  await tenantTable('refunds')
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('set null'))
    .addColumn('reference', 'varchar(200)', caps.binaryText)
    .addColumn('source', 'varchar(200)')
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    // 'order' or 'product', and that object's id; null when the refund names neither.
    .addColumn('refundable_type', 'varchar(16)')
    .addColumn('refundable_id', caps.bigIntType)
    .addColumn('total_e4', caps.bigIntType)
    .addColumn('currency', 'varchar(3)')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();

  // The hot table of ingestion: every index here is paid on each tracked event.
  await tenantTable('events')
    .addColumn('action_id', caps.bigIntType, (col) => col.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('cascade'))
    .addColumn('session_id', caps.bigIntType, (col) => col.references('sessions.id').onDelete('set null'))
    // app|cart|coupon|form|order|product|product_variant|refund, and that object's id.
    .addColumn('trackable_type', 'varchar(20)')
    .addColumn('trackable_id', caps.bigIntType)
    .addColumn('amount_e4', caps.bigIntType)
    .addColumn('currency', 'varchar(3)')
    // In the business's reporting currency at the rate of the day the event arrived.
    .addColumn('converted_e4', caps.bigIntType)
    .addColumn('converted_currency', 'varchar(3)')
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('url', 'text')
    // JSON: products of a cart event, page/utm/device of a browser event.
    .addColumn('details', 'text')
    .addColumn('message_id', caps.bigIntType)
    .addColumn('campaign_id', caps.bigIntType)
    .addColumn('journey_id', caps.bigIntType)
    .addColumn('tracked_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('events_business_idx').on('events').columns(['business_id', 'id']).execute();
  // Partial where most events have no value: an event pays only for the indexes it is in.
  await db.schema.createIndex('events_profile_idx').on('events').columns(['business_id', 'profile_id', 'id']).where(sql.ref('profile_id'), 'is not', null).execute();
  await db.schema.createIndex('events_session_idx').on('events').column('session_id').where(sql.ref('session_id'), 'is not', null).execute();
  await db.schema.createIndex('events_action_idx').on('events').columns(['action_id', 'id']).execute();
  await db.schema.createIndex('events_campaign_idx').on('events').columns(['business_id', 'campaign_id']).where(sql.ref('campaign_id'), 'is not', null).execute();

  // A tracked event in a profile's trail names its event, so moving a session to another
  // profile can move those entries too.
  await db.schema.alterTable('profile_activity').addColumn('event_id', caps.bigIntType).execute();
  await db.schema.createIndex('profile_activity_event_idx').on('profile_activity').columns(['business_id', 'event_id']).where(sql.ref('event_id'), 'is not', null).execute();
  // When the profile's conversation last needed attention (messages in and out, non-passive
  // events): the inbox's order.
  await db.schema.alterTable('profiles').addColumn('inbox_at', caps.bigIntType).execute();
  await db.schema.createIndex('profiles_inbox_idx').on('profiles').columns(['business_id', 'inbox_at', 'id']).execute();

  // Installation-wide: units of each currency per euro, as the ECB publishes them.
  await db.schema
    .createTable('exchange_rates')
    .addColumn('currency', 'varchar(3)', (col) => col.primaryKey())
    .addColumn('per_eur', 'double precision', (col) => col.notNull())
    .addColumn('as_of', 'varchar(10)', (col) => col.notNull())
    .execute();
  await db
    .withTables<{ exchange_rates: { currency: string; per_eur: number; as_of: string } }>()
    .insertInto('exchange_rates')
    .values(Object.entries(DEFAULT_RATES.rates).map(([currency, perEur]) => ({ currency, per_eur: perEur, as_of: DEFAULT_RATES.asOf })))
    .execute();
}
