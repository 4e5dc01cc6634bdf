/**
 * The PostgreSQL procedure thread (see postgres-thread.ts): its own small pool, and the
 * procedures it was given, run as they are called.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, PostgresDialect } from 'kysely';
import { postgresPool } from './postgres-pool.js';
import type { PostgresThreadOptions, PostgresThreadReply, PostgresThreadRequest } from './postgres-thread.protocol.js';
import { loadProcedures, type Procedure } from './procedures.js';
import type { Database } from './tables.js';
import { describeError } from './worker-threads.js';

const port = parentPort;
if (!port) throw new Error('postgres-thread.worker runs only as a worker thread');
const reply = (message: PostgresThreadReply) => port.postMessage(message);

const options = workerData as PostgresThreadOptions;
const pool = postgresPool(options.url, options.poolSize, (error) => reply({ idleConnectionError: describeError(error) }));
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
let procedures: Promise<Map<string, Procedure>> | undefined;

async function call(request: Extract<PostgresThreadRequest, { kind: 'call' }>): Promise<void> {
  try {
    procedures ??= loadProcedures(db, 'postgres', options.procedures);
    const procedure = (await procedures).get(request.procedure);
    if (!procedure) throw new Error(`no procedure is named "${request.procedure}"`);
    reply({ id: request.id, result: await procedure(request.payload) });
  } catch (error) {
    reply({ id: request.id, error: describeError(error) });
  }
}

// Calls run side by side, each on a connection of the pool. Closing waits for the calls
// already made: their callers are owed an answer.
const running = new Set<Promise<void>>();
port.on('message', (request: PostgresThreadRequest) => {
  if (request.kind === 'call') {
    const done = call(request).finally(() => running.delete(done));
    running.add(done);
  } else {
    void Promise.allSettled(running)
      .then(() => db.destroy())
      .finally(() => port.close());
  }
});
