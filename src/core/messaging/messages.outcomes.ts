/**
 * Recording what a send came to, with group commit: outcomes of sends that finish while one
 * batch is being written go into the next, one transaction (one fsync) for many messages.
 * Each job still waits for its own record before it completes, so nothing is acknowledged
 * unwritten. A batch that fails is written again one outcome at a time, so one bad record
 * does not fail its neighbours.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { forBusiness } from '../shared/tenant.js';
import { GroupCommit } from '../shared/group-commit.js';
import { markAccepted, markFailed } from './messages.states.js';

export type SendOutcomeRecord =
  | { readonly kind: 'accepted'; readonly businessId: number; readonly messageId: number; readonly providerId: string; readonly deliveredAtOnce: boolean }
  | { readonly kind: 'failed'; readonly businessId: number; readonly messageId: number; readonly reason: string };

/** Outcomes written in one transaction at most. */
const MAX_BATCH = 200;

async function writeOne(ctx: CoreContext, record: SendOutcomeRecord): Promise<void> {
  const tenant = forBusiness(ctx, record.businessId);
  if (record.kind === 'accepted') await markAccepted(tenant, record.messageId, record.providerId, record.deliveredAtOnce);
  else await markFailed(tenant, record.messageId, record.reason);
}

async function writeBatch(ctx: CoreContext, records: SendOutcomeRecord[]): Promise<Array<{ ok: true; value: undefined } | { ok: false; error: unknown }>> {
  if (records.length > 1) {
    try {
      await ctx.db.transaction().execute(async (trx) => {
        for (const record of records) await writeOne({ ...ctx, db: trx }, record);
      });
      return records.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      ctx.logger.warn({ err: error, count: records.length }, 'a batch of send outcomes failed; writing them one by one');
    }
  }
  const results: Array<{ ok: true; value: undefined } | { ok: false; error: unknown }> = [];
  for (const record of records) {
    try {
      await writeOne(ctx, record);
      results.push({ ok: true, value: undefined });
    } catch (error) {
      results.push({ ok: false, error });
    }
  }
  return results;
}

const batchers = new WeakMap<Kysely<Database>, GroupCommit<SendOutcomeRecord, undefined>>();

/** Writes one send outcome (with its webhooks), sharing a transaction with the outcomes recorded at the same time. */
export function recordOutcome(ctx: CoreContext, record: SendOutcomeRecord): Promise<undefined> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) {
    const base: CoreContext = ctx;
    batcher = new GroupCommit((records) => writeBatch(base, records), MAX_BATCH);
    batchers.set(ctx.db, batcher);
  }
  return batcher.submit(record);
}
