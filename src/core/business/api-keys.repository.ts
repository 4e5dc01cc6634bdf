import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ApiKeysTable, Database } from '../../store/tables.js';
import { withKeyBounds, type KeyBounds } from '../shared/pagination.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

type Db = Kysely<Database> | Transaction<Database>;

export function insertApiKey(db: Db, row: Omit<ApiKeyRow, 'id'>): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findApiKeyByHash(db: Db, tokenHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listApiKeysOfBusiness(db: Db, businessId: number, bounds?: KeyBounds): Promise<ApiKeyRow[]> {
  const query = db.selectFrom('api_keys').selectAll().where('business_id', '=', businessId);
  return (bounds ? withKeyBounds(query, 'id', bounds) : query.orderBy('id', 'desc')).execute();
}

/** Keys whose visible prefix starts with `start`: substr, not LIKE, whose `_` wildcard keys contain. */
export function findApiKeysByPrefix(db: Db, start: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where(sql<boolean>`substr(prefix, 1, ${start.length}) = ${start}`)
    .limit(10)
    .execute();
}

export async function markApiKeyRevoked(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}
