import { randomInt } from 'node:crypto';
import type { CoreContext } from '../context.js';
import { PublicIds } from '../shared/public-ids.js';

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

// By the store's capabilities object, which a database and its transactions share.
const codecs = new WeakMap<CoreContext['caps'], Promise<PublicIds>>();

/**
 * This installation's public-id codec, read once per store: what the core writes for others
 * to read later (webhook payloads) names objects as the API does.
 */
export function publicIdsOf(ctx: CoreContext): Promise<PublicIds> {
  let codec = codecs.get(ctx.caps);
  // Not kept when read inside a transaction: on a new installation that transaction may
  // still roll the alphabet back. (The server reads it once, outside, before it starts.)
  if (!codec && ctx.db.isTransaction) return publicIdAlphabet(ctx).then((alphabet) => new PublicIds(alphabet));
  if (!codec) {
    codec = publicIdAlphabet(ctx).then((alphabet) => new PublicIds(alphabet));
    codec.catch(() => codecs.delete(ctx.caps));
    codecs.set(ctx.caps, codec);
  }
  return codec;
}
