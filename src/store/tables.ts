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
}
