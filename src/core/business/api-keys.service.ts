import { hash, randomBytes } from 'node:crypto';
import type { CoreContext } from '../context.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import { findApiKeyByHash, findApiKeysByPrefix, insertApiKey, listApiKeysOfBusiness, markApiKeyRevoked, type ApiKeyRow } from './api-keys.repository.js';
import { findBusinessById } from './businesses.repository.js';
import { isSurface, type Surface } from './surfaces.js';

/** Keys read `hh_` + 43 base64url characters (32 random bytes). */
const KEY_MARK = 'hh_';
const PREFIX_LENGTH = KEY_MARK.length + 8;

export interface ApiKey {
  readonly id: number;
  readonly businessId: number;
  /** Visible start of the key: enough to recognise and revoke it, useless to authenticate. */
  readonly prefix: string;
  /** Surfaces the key works on; undefined for all. */
  readonly surfaces: readonly Surface[] | undefined;
  readonly name: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface CreatedApiKey extends ApiKey {
  /** The whole key. Shown once; only its SHA-256 is stored. */
  readonly token: string;
}

export interface CreateApiKeyInput {
  readonly businessId: number;
  readonly surfaces?: readonly string[] | undefined;
  readonly name?: string | undefined;
}

/** One-shot hashing: every authenticated request pays for it, and a Hash object costs several times more. */
function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    businessId: row.business_id,
    prefix: row.prefix,
    surfaces: row.surfaces ? row.surfaces.split(',').filter(isSurface) : undefined,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function parseSurfaces(surfaces: readonly string[] | undefined): Surface[] | undefined {
  if (surfaces === undefined) return undefined;
  const wanted = surfaces.map((surface) => surface.trim().toLowerCase()).filter((surface) => surface !== '');
  if (wanted.length === 0) throw invalid('surfaces', 'Name at least one surface, or none to allow all.');
  const unknown = wanted.filter((surface) => !isSurface(surface));
  if (unknown.length > 0) throw invalid('surfaces', `Unknown surface: ${unknown.join(', ')}.`);
  return [...new Set(wanted.filter(isSurface))];
}

export async function createApiKey(ctx: CoreContext, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  if (!(await findBusinessById(ctx.db, input.businessId))) throw notFound('Business', 'business');
  const surfaces = parseSurfaces(input.surfaces);
  const token = KEY_MARK + randomBytes(32).toString('base64url');
  const row = await insertApiKey(ctx.db, {
    business_id: input.businessId,
    prefix: token.slice(0, PREFIX_LENGTH),
    token_hash: hashToken(token),
    surfaces: surfaces ? surfaces.join(',') : null,
    name: input.name?.trim() || null,
    created_at: epochSeconds(ctx.clock),
    revoked_at: null,
  });
  return { ...toApiKey(row), token };
}

/** The business's keys, newest first; `bounds` pages through them (see pageByKey). */
export async function listApiKeys(ctx: CoreContext, businessId: number, bounds?: KeyBounds): Promise<ApiKey[]> {
  return (await listApiKeysOfBusiness(ctx.db, businessId, bounds)).map(toApiKey);
}

/**
 * Revokes one key, named by its whole value or by the start of its visible prefix (with or
 * without `hh_`, at least 4 characters after it). A start that several keys share is refused
 * as ambiguous: give more characters, or the whole key. Revoking a revoked key is refused.
 */
export async function revokeApiKey(ctx: CoreContext, given: string): Promise<ApiKey> {
  const text = given.trim();
  const marked = text.startsWith(KEY_MARK) ? text : KEY_MARK + text;
  let row: ApiKeyRow | undefined;
  if (marked.length > PREFIX_LENGTH) {
    // Longer than a prefix: only the whole key names a key; anything else matches none.
    row = await findApiKeyByHash(ctx.db, hashToken(marked));
  } else {
    if (marked.length < KEY_MARK.length + 4) throw invalid('prefix', 'Give at least 4 characters of the key after hh_.');
    const matches = await findApiKeysByPrefix(ctx.db, marked);
    if (matches.length > 1) throw new DomainError('ambiguous', `${matches.length} keys start with ${marked}: give more characters, or the whole key.`, 'prefix');
    row = matches[0];
  }
  if (!row) throw notFound('API key', 'prefix');
  if (row.revoked_at !== null) throw new DomainError('not_allowed', `The key ${row.prefix}… was already revoked.`, 'prefix');
  const at = epochSeconds(ctx.clock);
  await markApiKeyRevoked(ctx.db, row.id, at);
  lookups.get(ctx.db)?.clear();
  return toApiKey({ ...row, revoked_at: at });
}

export interface Authenticated {
  readonly businessId: number;
  readonly keyId: number;
}

/**
 * The business a presented key belongs to, if the key is live and allowed on `surface`.
 * Looked up on every request so a revocation takes effect at once.
 */
type KeyLookup = ReturnType<typeof findApiKeyByHash>;
const lookups = new WeakMap<CoreContext['db'], Map<string, { readonly row: KeyLookup; readonly at: number }>>();

/**
 * Key lookups are kept for `API_KEY_CACHE_MS` (monotonic time): the hot paths (event
 * ingestion) then cost no query for authentication, and concurrent requests presenting one
 * key share one lookup. A revocation in this process clears the cache at once; one made by
 * another process takes effect here within that time. 0 looks every request up.
 */
function cachedLookup(ctx: CoreContext, hash: string): KeyLookup {
  let cache = lookups.get(ctx.db);
  if (!cache) lookups.set(ctx.db, (cache = new Map()));
  const now = performance.now();
  const hit = cache.get(hash);
  if (hit && now - hit.at < Math.max(ctx.config.API_KEY_CACHE_MS, 1)) return hit.row;
  const row = findApiKeyByHash(ctx.db, hash);
  // A failed lookup is not kept; a bounded cache forgets everything rather than grow.
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { row, at: now });
  row.catch(() => cache.delete(hash));
  return row;
}

/**
 * Hashes of recently presented tokens: hashing every request of a busy client cost a few
 * percent of ingestion's CPU. Bounded like the lookup cache.
 */
const presentedHashes = new Map<string, string>();

function hashOfPresented(token: string): string {
  let found = presentedHashes.get(token);
  if (found === undefined) {
    if (presentedHashes.size >= 10_000) presentedHashes.clear();
    found = hashToken(token);
    presentedHashes.set(token, found);
  }
  return found;
}

export async function authenticateApiKey(ctx: CoreContext, token: string, surface: Surface): Promise<Authenticated | undefined> {
  if (!token.startsWith(KEY_MARK) || token.length > 200) return undefined;
  // Found by its SHA-256: what could leak through timing is how much of the hash of the
  // caller's own guess matches a stored one, which does not help to find a key.
  const row = await cachedLookup(ctx, hashOfPresented(token));
  if (!row) return undefined;
  if (row.revoked_at !== null) return undefined;
  if (row.surfaces !== null && !row.surfaces.split(',').includes(surface)) return undefined;
  return { businessId: row.business_id, keyId: row.id };
}
