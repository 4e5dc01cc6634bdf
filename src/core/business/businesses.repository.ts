import type { Kysely, Selectable, Transaction } from 'kysely';
import type { BusinessesTable, Database } from '../../store/tables.js';

export type BusinessRow = Selectable<BusinessesTable>;

type Db = Kysely<Database> | Transaction<Database>;

export function insertBusiness(db: Db, row: Omit<BusinessRow, 'id'>): Promise<BusinessRow> {
  return db.insertInto('businesses').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findBusinessById(db: Db, id: number): Promise<BusinessRow | undefined> {
  return db.selectFrom('businesses').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBusinessByPublicId(db: Db, publicId: string): Promise<BusinessRow | undefined> {
  return db.selectFrom('businesses').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export function listBusinessRows(db: Db): Promise<BusinessRow[]> {
  return db.selectFrom('businesses').selectAll().orderBy('id').execute();
}

export async function countBusinesses(db: Db): Promise<number> {
  const row = await db.selectFrom('businesses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
