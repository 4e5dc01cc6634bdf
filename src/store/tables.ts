import type { ColumnType, Generated } from 'kysely';
import type { ProfilesTable, PropertiesTable, PropertyValuesTable, PropertyTermsTable, ListsTable, ListMembersTable, SuppressionsTable, ProfileActivityTable } from './tables/audience.js';
import type { ActionsTable, SessionsTable, AppsTable, FormsTable, CouponsTable, ProductsTable, ProductVariantsTable, OrdersTable, CartsTable, OrderItemsTable, CartItemsTable, RefundsTable, EventsTable, ExchangeRatesTable } from './tables/tracking.js';
import type { ChannelsTable, TemplatesTable, MediaTable, MessagesTable, ShortLinksTable, WebhooksTable, WebhookDeliveriesTable } from './tables/messaging.js';

/**
 * Row types: the foundation's tables here, each other context's in ./tables/, and the
 * `Database` that names them all. Times are epoch seconds unless the column name ends in `_ms`
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

export type * from './tables/audience.js';
export type * from './tables/tracking.js';
export type * from './tables/messaging.js';

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
