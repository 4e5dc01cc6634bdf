import type { ColumnType, Generated } from 'kysely';
import type { Flag } from '../tables.js';

/** Row types of tracking and commerce: actions, sessions, events, the objects events are tracked for, exchange rates. */

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
  /** The downloaded copy of `image_url` (table media), once one was recorded. */
  image_media_id: ColumnType<number | null, number | null | undefined, number | null>;
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
  /** The downloaded copy of `image_url` (table media), once one was recorded. */
  image_media_id: ColumnType<number | null, number | null | undefined, number | null>;
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
