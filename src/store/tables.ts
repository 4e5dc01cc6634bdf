import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of every table. Times are epoch seconds unless the column name ends in `_ms`
 * or the table is `jobs` (milliseconds, because the worker orders by them); flags are 0/1
 * integers so both dialects bind and return the same values.
 */

export type Flag = 0 | 1;

export interface InstallSettingsTable {
  key: string;
  value: string;
}

export interface BusinessesTable {
  id: Generated<number>;
  uuid: string;
  public_id: string;
  name: string;
  /** The account owner's address, shown as eSputnik's userEmail. */
  email: string | null;
  country: string;
  currency: string;
  timezone: string;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  id: Generated<number>;
  business_id: number;
  /** Visible start of the key, for listing and revoking. */
  prefix: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  token_hash: string;
  /** Comma-separated surfaces the key may use; null for all. */
  surfaces: string | null;
  name: string | null;
  created_at: number;
  revoked_at: number | null;
}

export type JobState = 'queued' | 'running' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  /** Null for installation-wide work (no tenant). */
  business_id: number | null;
  kind: string;
  /** JSON text. */
  payload: string;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export type ProfileState = 'unconfirmed' | 'subscribed' | 'unsubscribed';

export interface ProfilesTable {
  id: Generated<number>;
  business_id: number;
  first_name: string | null;
  last_name: string | null;
  first_name_key: string | null;
  last_name_key: string | null;
  sort_name: string;
  /** The business's own id of the customer (user_id of tracking, custom ids of other surfaces). */
  external_id: string | null;
  /** Explicit IANA zone; when null the core derives it (default phone's country, else the business's). */
  timezone: string | null;
  language: string | null;
  state: ProfileState;
  /** When a double opt-in was asked and not yet confirmed. */
  opt_in_requested_at: number | null;
  bounced: Flag;
  blocked: Flag;
  created_at: number;
  updated_at: number;
  activity_at: number;
  /** Set by DELETE (properties removed); cleared by subscribing again. */
  cleared_at: number | null;
  /** Last message in or out or non-passive event: the inbox's order. Null: never in the inbox. */
  inbox_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PropertiesTable {
  id: Generated<number>;
  business_id: number;
  kind: string;
  name: string | null;
  name_key: string | null;
  scope_id: number;
  profile_id: number | null;
  position: number;
  is_unique: Flag;
  created_at: number;
  updated_at: number;
}

export interface PropertyValuesTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number;
  property_id: number;
  kind: string;
  /** JSON text of the stored value. */
  value: string;
  search_text: string;
  unique_key: string | null;
  verified: Flag;
  created_at: number;
  updated_at: number;
}

export interface PropertyTermsTable {
  business_id: number;
  value_id: number;
  profile_id: number;
  term: string;
}

export interface ListsTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  name_key: string;
  created_at: number;
  updated_at: number;
}

export interface ListMembersTable {
  business_id: number;
  list_id: number;
  profile_id: number;
  created_at: number;
}

export type SuppressionChannel = 'email' | 'phone';

export interface SuppressionsTable {
  id: Generated<number>;
  business_id: number;
  channel: SuppressionChannel;
  address: string;
  reason: string;
  created_at: number;
}

export interface ProfileActivityTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number;
  kind: string;
  /** JSON text. */
  data: string;
  occurred_at: number;
  /** The tracked event this entry shows, if it is one. */
  event_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ActionsTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  title: string;
  goal: Flag;
  passive: Flag;
  builtin: Flag;
  created_at: number;
  updated_at: number;
}

export type SessionSource = 'client' | 'link' | 'api';

export interface SessionsTable {
  id: Generated<number>;
  business_id: number;
  uuid: string;
  profile_id: number | null;
  /** The message whose short link created the session (attribution). */
  message_id: number | null;
  campaign_id: number | null;
  journey_id: ColumnType<number | null, number | null | undefined, number | null>;
  source: SessionSource;
  /** JSON text of the UTM parameters of the first acknowledgement. */
  utm: string | null;
  first_seen_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AppsTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  image_url: string | null;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export interface FormsTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export interface CouponsTable {
  id: Generated<number>;
  business_id: number;
  code: string;
  description: string;
  destination_url: string;
  reference: string | null;
  created_at: number;
  updated_at: number;
}

export interface ProductsTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  brand: string | null;
  /** JSON arrays of strings. */
  categories: string;
  collection: string;
  tags: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export interface ProductVariantsTable {
  id: Generated<number>;
  business_id: number;
  product_id: number;
  is_default: Flag;
  name: string;
  /** Money in ten-thousandths of the currency unit. */
  price_e4: number | null;
  currency: string | null;
  reference: string | null;
  sku: string | null;
  image_url: string | null;
  source: string | null;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export type Delivery = 'collect' | 'deliver';

export interface OrdersTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number | null;
  session_id: number | null;
  delivery: Delivery | null;
  reference: string | null;
  source: string | null;
  metadata: string;
  total_e4: number;
  currency: string;
  created_at: number;
  updated_at: number;
}

export interface CartsTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number | null;
  session_id: number | null;
  reference: string | null;
  source: string | null;
  metadata: string;
  created_at: number;
  updated_at: number;
}

interface LineItemColumns {
  id: Generated<number>;
  business_id: number;
  variant_id: number | null;
  price_e4: number;
  currency: string;
  quantity: number;
  created_at: number;
  updated_at: number;
}

export interface OrderItemsTable extends LineItemColumns {
  order_id: number;
  /** null once the product was deleted: the line, and the order's total, stay. */
  product_id: number | null;
  /** The product's (or variant's) name and sku when the line was added. */
  name: string;
  sku: string | null;
}

export interface CartItemsTable extends LineItemColumns {
  cart_id: number;
  product_id: number;
}

export type RefundableType = 'order' | 'product';

export interface RefundsTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number | null;
  reference: string | null;
  source: string | null;
  metadata: string;
  refundable_type: RefundableType | null;
  refundable_id: number | null;
  total_e4: number | null;
  currency: string | null;
  created_at: number;
  updated_at: number;
}

export type TrackableType = 'app' | 'cart' | 'coupon' | 'form' | 'order' | 'product' | 'product_variant' | 'refund';

export interface EventsTable {
  id: Generated<number>;
  business_id: number;
  action_id: number;
  profile_id: number | null;
  session_id: number | null;
  trackable_type: TrackableType | null;
  trackable_id: number | null;
  amount_e4: number | null;
  currency: string | null;
  converted_e4: number | null;
  converted_currency: string | null;
  metadata: string;
  url: string | null;
  /** JSON text: products of a cart event, page/utm/device of a browser event. */
  details: string | null;
  message_id: number | null;
  campaign_id: number | null;
  journey_id: ColumnType<number | null, number | null | undefined, number | null>;
  tracked_at: number;
  created_at: number;
  updated_at: number;
}

/** Installation-wide, not per business. */
export interface ExchangeRatesTable {
  currency: string;
  /** Units of this currency per euro. */
  per_eur: number;
  as_of: string;
}

export type Technology = 'sms' | 'whatsapp' | 'instagram' | 'mercadolibre' | 'email';

export interface ChannelsTable {
  id: Generated<number>;
  business_id: number;
  technology: Technology;
  origin: string;
  provider: string;
  /** JSON text; secrets included, never answered by the API. */
  settings: string;
  /** Messages per second. */
  rate: number;
  /** Epoch ms of the next free send slot, shared by every process. */
  next_slot_ms: ColumnType<number, number | undefined, number>;
  active: Flag;
  created_at: number;
  updated_at: number;
}

export type TemplateTechnology = 'any' | 'sms' | 'whatsapp';
export type TemplateState = 'approved' | 'pending' | 'rejected' | 'paused';

export interface TemplatesTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  technology: TemplateTechnology;
  body: string;
  /** JSON text of the header component, or null. */
  header: string | null;
  footer: string | null;
  /** JSON array of buttons. */
  buttons: string;
  language: string | null;
  category: string | null;
  state: TemplateState;
  state_reason: string | null;
  /** Goes through WhatsApp's review (technology whatsapp, or any while WhatsApp was integrated). */
  targets_whatsapp: Flag;
  provider_template_id: string | null;
  edited_at: number | null;
  approved_at: number | null;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export type MediaState = 'pending' | 'ready' | 'failed';

export interface MediaTable {
  id: Generated<number>;
  business_id: number;
  source_url: string;
  state: MediaState;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  path: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export type MessageDirection = 'outbound' | 'inbound';
export type MessageState = 'pending' | 'routed' | 'delivered' | 'failed' | 'received';

export interface MessagesTable {
  id: Generated<number>;
  business_id: number;
  profile_id: number | null;
  channel_id: number | null;
  template_id: number | null;
  campaign_id: number | null;
  direction: MessageDirection;
  technology: Technology;
  origin: string;
  destination: string;
  body: string;
  subject: string | null;
  html: string | null;
  /** JSON text: attachments, template parameters, headers. */
  content: string;
  state: MessageState;
  failure_reason: string | null;
  provider_id: string | null;
  transactional: Flag;
  created_at: number;
  updated_at: number;
  routed_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  received_at: number | null;
}

export interface ShortLinksTable {
  id: Generated<number>;
  business_id: number;
  code: string;
  destination: string;
  message_id: number | null;
  profile_id: number | null;
  campaign_id: number | null;
  clicks: ColumnType<number, number | undefined, number>;
  created_at: number;
}

export interface WebhooksTable {
  id: Generated<number>;
  business_id: number;
  url: string;
  secret: string;
  /** JSON array of event names. */
  events: string;
  active: Flag;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  business_id: number;
  webhook_id: number;
  /** Random; the X-Hellohub-Delivery header, the same on every retry. */
  uuid: string;
  event: string;
  payload: string;
  state: WebhookDeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  response_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface Database {
  install_settings: InstallSettingsTable;
  businesses: BusinessesTable;
  api_keys: ApiKeysTable;
  jobs: JobsTable;
  profiles: ProfilesTable;
  properties: PropertiesTable;
  property_values: PropertyValuesTable;
  property_terms: PropertyTermsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  suppressions: SuppressionsTable;
  profile_activity: ProfileActivityTable;
  actions: ActionsTable;
  sessions: SessionsTable;
  apps: AppsTable;
  forms: FormsTable;
  coupons: CouponsTable;
  products: ProductsTable;
  product_variants: ProductVariantsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  carts: CartsTable;
  cart_items: CartItemsTable;
  refunds: RefundsTable;
  events: EventsTable;
  exchange_rates: ExchangeRatesTable;
  channels: ChannelsTable;
  templates: TemplatesTable;
  media: MediaTable;
  messages: MessagesTable;
  short_links: ShortLinksTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
