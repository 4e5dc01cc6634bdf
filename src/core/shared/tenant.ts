import { sql, type DeleteQueryBuilder, type DeleteResult, type Kysely, type SelectQueryBuilder, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';

/** Tables whose rows belong to one business. */
export type TenantTable = {
  [K in keyof Database]: Database[K] extends { business_id: number } ? K : never;
}[keyof Database];

/**
 * A view of the database through one business. Every query it starts already filters by
 * `business_id`, so a repository built on it cannot reach another tenant's rows by
 * forgetting a where clause. Inserts need no helper: `business_id` is a required column of
 * every tenant table's Insertable type, so leaving it out does not compile.
 */
export class TenantDb {
  constructor(
    /** The database or a transaction on it (a Transaction is a Kysely). */
    readonly db: Kysely<Database>,
    readonly businessId: number,
  ) {}

  // Kysely resolves `selectFrom(table)` for a generic table through a conditional type that
  // TypeScript cannot narrow; the annotations below state the builder type it evaluates to.
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<Database, T, object> {
    const query = this.db.selectFrom(table) as SelectQueryBuilder<Database, T, object>;
    return query.where(sql.ref(`${table}.business_id`), '=', this.businessId);
  }

  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    const query = this.db.updateTable(table) as UpdateQueryBuilder<Database, T, T, UpdateResult>;
    return query.where(sql.ref(`${table}.business_id`), '=', this.businessId);
  }

  /**
   * An update of rows named by primary key. The business check is written `+business_id`, so
   * that SQLite, which without statistics takes any index led by business_id as selective,
   * finds the rows by key instead of walking the business's whole index.
   */
  updateRowsById<T extends TenantTable>(table: T, ids: readonly number[]): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    const query = this.db.updateTable(table) as UpdateQueryBuilder<Database, T, T, UpdateResult>;
    return query.where(sql`+${sql.ref(`${table}.business_id`)}`, '=', this.businessId).where(sql.ref(`${table}.id`), 'in', ids);
  }

  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult> {
    const query = this.db.deleteFrom(table) as DeleteQueryBuilder<Database, T, DeleteResult>;
    return query.where(sql.ref(`${table}.business_id`), '=', this.businessId);
  }

  /** Runs `work` in one transaction, still scoped to this business. */
  transaction<R>(work: (tenant: TenantDb) => Promise<R>): Promise<R> {
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new TenantDb(trx, this.businessId)));
  }
}

/** What a use case acting for one business gets: the core context plus its tenant view. */
export interface TenantContext extends CoreContext {
  readonly businessId: number;
  readonly tenant: TenantDb;
}

export function forBusiness(ctx: CoreContext, businessId: number): TenantContext {
  // Field by field rather than a spread: this runs a few times per message sent, and V8
  // copies a spread of a context object (many shapes reach here) on a slow path.
  const { db, caps, config, clock, logger, outbound } = ctx;
  return { db, caps, config, clock, logger, outbound, businessId, tenant: new TenantDb(db, businessId) };
}

/** Runs `work` in one transaction (or the one already open), with every handle bound to it. */
export function inTransaction<R>(ctx: TenantContext, work: (trx: TenantContext) => Promise<R>): Promise<R> {
  if (ctx.db.isTransaction) return work(ctx);
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx, tenant: new TenantDb(trx, ctx.businessId) }));
}
