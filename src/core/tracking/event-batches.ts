/**
 * How `POST /v1/attribution/events` writes: events of concurrent requests are written
 * together, a batch per transaction (group commit), and each request is answered once its
 * batch committed.
 *
 * Each batch is written whole in the store's thread (ingest.procedures.ts): SQLite's
 * connection thread, or PostgreSQL's procedure thread with its own pool. It costs the server
 * one message each way instead of a round trip per statement, and the server goes on reading
 * requests meanwhile; on PostgreSQL the batch's statements no longer wait behind those
 * requests for their answers to be read. A store opened without procedures writes on the
 * caller's connection.
 *
 * One batch at a time per process, on both. A second batch queued behind the first (tried on
 * both) makes batches smaller, and a commit costs about the same however few events it
 * holds (docs/performance.md).
 */
import type { Kysely } from 'kysely';
import { threadProcedures, type ProcedureRunner } from '../../store/database.js';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { DomainError, type DomainErrorCode } from '../shared/errors.js';
import { GroupCommit } from '../shared/group-commit.js';
import type { TenantContext } from '../shared/tenant.js';
import { writeBatch, type Outcome, type Pending } from './event-ingest.js';
import type { PreparedEvent } from './track-input.js';

/** The procedure that writes a batch in the store's thread (ingest.procedures.ts). */
export const WRITE_EVENTS = 'events.write';

export interface WriteEventsPayload {
  readonly items: readonly Pending[];
  /** The caller's clock, epoch milliseconds: the thread has none of its own to agree with. */
  readonly now: number;
}

/** An outcome as it crosses threads: errors travel as data. */
export type WireOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly domain?: { readonly code: DomainErrorCode; readonly parameter: string | undefined } };

export function toWire(outcome: Outcome): WireOutcome {
  if (outcome.ok) return { ok: true };
  const { error } = outcome;
  if (error instanceof DomainError) return { ok: false, message: error.message, domain: { code: error.code, parameter: error.parameter } };
  return { ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

function fromWire(outcome: WireOutcome): Outcome {
  if (outcome.ok) return { ok: true, value: undefined };
  if (outcome.domain) return { ok: false, error: new DomainError(outcome.domain.code, outcome.message, outcome.domain.parameter) };
  return { ok: false, error: new Error(`writing the event failed in the store's thread: ${outcome.message}`) };
}

function isWireOutcomes(value: unknown, length: number): value is WireOutcome[] {
  return Array.isArray(value) && value.length === length && value.every((outcome: unknown) => typeof outcome === 'object' && outcome !== null && 'ok' in outcome);
}

async function writeInThread(run: ProcedureRunner, ctx: CoreContext, items: Pending[]): Promise<Outcome[]> {
  const payload: WriteEventsPayload = { items, now: ctx.clock.now() };
  const result = await run(WRITE_EVENTS, payload);
  if (!isWireOutcomes(result, items.length)) throw new Error("the store's thread answered a batch of events with something else than its outcomes");
  return result.map(fromWire);
}

const batchers = new WeakMap<Kysely<Database>, GroupCommit<Pending, void>>();

export function submitEvent(ctx: TenantContext, event: PreparedEvent): Promise<void> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) {
    const base: CoreContext = ctx;
    const run = threadProcedures(ctx.db);
    batcher = run
      ? new GroupCommit<Pending, void>((items) => writeInThread(run, base, items), ctx.config.EVENT_BATCH_MAX)
      : new GroupCommit<Pending, void>((items) => writeBatch(base, items), ctx.config.EVENT_BATCH_MAX);
    batchers.set(ctx.db, batcher);
  }
  return batcher.submit({ businessId: ctx.businessId, event });
}
