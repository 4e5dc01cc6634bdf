import { randomInt } from 'node:crypto';
import type { CoreContext } from '../context.js';

const BASE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Reads an install-wide setting, creating it with `initial()` the first time (race-safe). */
async function installSetting(ctx: CoreContext, key: string, initial: () => string): Promise<string> {
  await ctx.db
    .insertInto('install_settings')
    .values({ key, value: initial() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('install_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

function shuffled(text: string): string {
  const letters = [...text];
  for (let i = letters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [letters[i], letters[j]] = [letters[j] as string, letters[i] as string];
  }
  return letters.join('');
}

/**
 * The alphabet of this installation's opaque public ids: a random permutation made once, so
 * ids are reversible here and meaningless on any other installation.
 */
export function publicIdAlphabet(ctx: CoreContext): Promise<string> {
  return installSetting(ctx, 'public_id_alphabet', () => shuffled(BASE_ALPHABET));
}
