/** Messages between the main thread and the PostgreSQL procedure thread (postgres-thread.ts, postgres-thread.worker.ts). */
import type { ProcedureModules } from './procedures.js';
import type { ThreadErrorData } from './worker-threads.js';

export interface PostgresThreadOptions {
  readonly url: string;
  /** Connections of the thread's own pool. */
  readonly poolSize: number;
  readonly procedures: ProcedureModules;
}

export type PostgresThreadRequest =
  | { readonly id: number; readonly kind: 'call'; readonly procedure: string; readonly payload: unknown }
  | { readonly id: number; readonly kind: 'close' };

export type PostgresThreadReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: ThreadErrorData }
  /** The server dropped an idle connection of the thread's pool (see postgres-pool.ts). */
  | { readonly idleConnectionError: ThreadErrorData };
