import pg from 'pg';

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * A node-postgres pool as every part of the store opens it: int8 ids and epoch milliseconds
 * are read as JS numbers, numeric stays a string (money). `onIdleConnectionError` is told
 * when the server drops an idle pooled connection (a restart, a failover): the pool replaces
 * it, so this is news, not a failure; without a listener it would end the process.
 */
export function postgresPool(url: string, max: number, onIdleConnectionError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 ? (value: string) => Number(value) : oid === PG_NUMERIC ? (value: string) => value : pg.types.getTypeParser(oid, format),
    },
  });
  pool.on('error', onIdleConnectionError);
  return pool;
}
