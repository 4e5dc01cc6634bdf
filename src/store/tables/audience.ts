import type { ColumnType, Generated } from 'kysely';
import type { Flag } from '../tables.js';

/** Row types of the audience: profiles, properties, lists, suppressions, the activity trail. */

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
}
