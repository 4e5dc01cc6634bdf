import { sql, type Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/**
 * Messaging: channels (a business's technology + origin + provider), templates, media
 * downloaded for them, messages in and out, short links, and outbound webhooks with their
 * delivery log. Messages are the hot append-only table; their indexes serve the inbox, a
 * profile's conversation, receipts by provider id, and campaign statistics.
 */
/** Frozen copies of the defaults in src/core/messaging/channels.model.ts as of this migration. */
const DEFAULT_DEV_INBOX_CHANNELS = [
  ['sms', 'DevInbox'],
  ['email', 'no-reply@dev-inbox.invalid'],
] as const;
const DEFAULT_DEV_INBOX_RATE = 100;

export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  const tenantTable = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', caps.serialType, caps.serialColumn)
      .addColumn('business_id', caps.bigIntType, (col) => col.notNull().references('businesses.id').onDelete('cascade'));

  await tenantTable('channels')
    .addColumn('technology', 'varchar(16)', (col) => col.notNull())
    .addColumn('origin', 'varchar(320)', (col) => col.notNull())
    .addColumn('provider', 'varchar(32)', (col) => col.notNull())
    // JSON text of the provider's settings, secrets included: the API never answers them.
    .addColumn('settings', 'text', (col) => col.notNull().defaultTo('{}'))
    // Messages per second; the next free send slot is shared by every process. Fractional
    // milliseconds: at 3 000/s a slot is a third of one, and rounding would lift the limit.
    .addColumn('rate', 'double precision', (col) => col.notNull())
    .addColumn('next_slot_ms', 'double precision', (col) => col.notNull().defaultTo(0))
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('channels_technology_idx').on('channels').columns(['business_id', 'technology', 'id']).execute();
  // Businesses that exist before messaging get what a new one starts with (createDefaultChannels):
  // dev-inbox channels for SMS and email, so sending works offline at once.
  for (const [technology, origin] of DEFAULT_DEV_INBOX_CHANNELS) {
    await sql`insert into channels (business_id, technology, origin, provider, settings, rate, next_slot_ms, active, created_at, updated_at)
      select id, ${sql.lit(technology)}, ${sql.lit(origin)}, 'dev-inbox', '{}', ${sql.lit(DEFAULT_DEV_INBOX_RATE)}, 0, 1, created_at, created_at from businesses`.execute(db);
  }

  await tenantTable('templates')
    .addColumn('name', 'varchar(200)', (col) => caps.binaryText(col.notNull()))
    // any | sms | whatsapp
    .addColumn('technology', 'varchar(16)', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    // JSON: {type: text|attachment|address, …}, the footer text, the buttons.
    .addColumn('header', 'text')
    .addColumn('footer', 'text')
    .addColumn('buttons', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('language', 'varchar(16)')
    .addColumn('category', 'varchar(32)')
    // approved | pending | rejected | paused
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('state_reason', 'text')
    // 1 when the template goes through WhatsApp's review: technology whatsapp, or any while the
    // business had WhatsApp (its edit rules and the 30-day name lock follow from it).
    .addColumn('targets_whatsapp', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('provider_template_id', 'varchar(200)')
    .addColumn('edited_at', caps.bigIntType)
    .addColumn('approved_at', caps.bigIntType)
    .addColumn('deleted_at', caps.bigIntType)
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  // Names are unique among live templates; a deleted name may come back (WhatsApp: after 30 days).
  await db.schema
    .createIndex('templates_name_idx')
    .on('templates')
    .columns(['business_id', 'name'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('templates_deleted_name_idx').on('templates').columns(['business_id', 'name', 'deleted_at']).execute();

  // Files fetched from URLs (template headers, message attachments, product images).
  await tenantTable('media')
    .addColumn('source_url', 'text', (col) => col.notNull())
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('content_type', 'varchar(200)')
    .addColumn('size', caps.bigIntType)
    .addColumn('sha256', 'varchar(64)')
    // Path under DATA_DIR/media.
    .addColumn('path', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();

  await tenantTable('messages')
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('cascade'))
    .addColumn('channel_id', caps.bigIntType, (col) => col.references('channels.id').onDelete('set null'))
    .addColumn('template_id', caps.bigIntType, (col) => col.references('templates.id').onDelete('set null'))
    .addColumn('campaign_id', caps.bigIntType)
    // outbound | inbound
    .addColumn('direction', 'varchar(8)', (col) => col.notNull())
    .addColumn('technology', 'varchar(16)', (col) => col.notNull())
    .addColumn('origin', 'varchar(320)', (col) => col.notNull())
    .addColumn('destination', 'varchar(320)', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('subject', 'text')
    .addColumn('html', 'text')
    // JSON: attachments, template parameters, headers: what the provider is handed.
    .addColumn('content', 'text', (col) => col.notNull().defaultTo('{}'))
    // pending | routed | delivered | failed | received
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('provider_id', 'varchar(200)')
    .addColumn('transactional', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('routed_at', caps.bigIntType)
    .addColumn('delivered_at', caps.bigIntType)
    .addColumn('failed_at', caps.bigIntType)
    .addColumn('received_at', caps.bigIntType)
    .execute();
  await db.schema.createIndex('messages_business_idx').on('messages').columns(['business_id', 'id']).execute();
  await db.schema.createIndex('messages_profile_idx').on('messages').columns(['business_id', 'profile_id', 'id']).execute();
  await db.schema.createIndex('messages_provider_idx').on('messages').columns(['business_id', 'channel_id', 'provider_id']).execute();
  await db.schema.createIndex('messages_campaign_idx').on('messages').columns(['business_id', 'campaign_id', 'state']).execute();
  // An inbound message a provider delivers twice is stored once.
  await db.schema
    .createIndex('messages_inbound_idx')
    .on('messages')
    .columns(['business_id', 'channel_id', 'provider_id'])
    .unique()
    .where(sql.ref('direction'), '=', 'inbound')
    .execute();

  await tenantTable('short_links')
    // Random, unguessable; found by code alone when clicked.
    .addColumn('code', 'varchar(32)', (col) => caps.binaryText(col.notNull()))
    .addColumn('destination', 'text', (col) => col.notNull())
    .addColumn('message_id', caps.bigIntType, (col) => col.references('messages.id').onDelete('cascade'))
    .addColumn('profile_id', caps.bigIntType, (col) => col.references('profiles.id').onDelete('cascade'))
    .addColumn('campaign_id', caps.bigIntType)
    .addColumn('clicks', caps.bigIntType, (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('short_links_code_unique_idx').on('short_links').columns(['business_id', 'code']).unique().execute();
  await db.schema.createIndex('short_links_code_idx').on('short_links').column('code').execute();
  await db.schema.createIndex('short_links_message_idx').on('short_links').columns(['business_id', 'message_id']).execute();

  await tenantTable('webhooks')
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('secret', 'varchar(200)', (col) => col.notNull())
    // JSON array of event names (message.state_changed, message.received).
    .addColumn('events', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('updated_at', caps.bigIntType, (col) => col.notNull())
    .execute();
  // Every message state change looks up its business's subscribers.
  await db.schema.createIndex('webhooks_business_idx').on('webhooks').columns(['business_id', 'id']).execute();

  await tenantTable('webhook_deliveries')
    .addColumn('webhook_id', caps.bigIntType, (col) => col.notNull().references('webhooks.id').onDelete('cascade'))
    // Random, sent as X-Hellohub-Delivery and kept across retries, so receivers can drop repeats.
    .addColumn('uuid', 'varchar(36)', (col) => col.notNull())
    .addColumn('event', 'varchar(64)', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    // pending | delivered | failed
    .addColumn('state', 'varchar(16)', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('response_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', caps.bigIntType, (col) => col.notNull())
    .addColumn('delivered_at', caps.bigIntType)
    .execute();
  await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['business_id', 'webhook_id', 'id']).execute();
}
