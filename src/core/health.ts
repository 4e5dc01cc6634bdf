import { sql } from 'kysely';
import type { CoreContext } from './context.js';

/** Whether the database answers; logs why when it does not. */
export async function databaseReachable(ctx: CoreContext): Promise<boolean> {
  try {
    await sql`select 1`.execute(ctx.db);
    return true;
  } catch (error) {
    ctx.logger.warn({ err: error }, 'health check failed');
    return false;
  }
}
