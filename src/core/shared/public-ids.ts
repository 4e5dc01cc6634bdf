import Sqids from 'sqids';
import { notFound } from './errors.js';

const LENGTH = 8;
/** A (kind, key) pair never encodes longer: anything longer is no id, refused before any work. */
const MAX_ID_LENGTH = 24;

/**
 * Every kind of object that has a Hellotext-style id. An id carries its kind's place in this
 * list, so the order is part of every id ever handed out: append, never reorder or remove.
 */
const KINDS = [
  'business',
  'api_key',
  'profile',
  'property',
  'list',
  'suppression',
  'activity',
  'action',
  'session',
  'event',
  'app',
  'form',
  'coupon',
  'product',
  'product_variant',
  'order',
  'order_item',
  'cart',
  'cart_item',
  'refund',
  'channel',
  'template',
  'message',
  'webhook',
  'webhook_delivery',
] as const;

export type IdKind = (typeof KINDS)[number];

/**
 * Encoding checks every id against sqids' blocklist of words, which makes it the dearest step
 * of answering a page of objects: recent ids are kept, both ways, per kind. Forged ids are
 * never kept.
 */
const CACHED_IDS_PER_KIND = 20_000;

interface Cache {
  readonly encoded: Map<number, string>;
  readonly decoded: Map<string, number>;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHED_IDS_PER_KIND) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}

const isKey = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * Hellotext-style ids: 8 or more opaque characters that reversibly encode, with this
 * installation's alphabet, the kind of object (its place in KINDS) followed by its integer
 * key. One alphabet for every kind and the kind inside make the kinds' ids disjoint: a string
 * decodes to one tuple at most, so a list's id can never be read as a profile's. Anything that
 * is not the canonical encoding of one key of the kind asked for (forged, truncated,
 * re-padded, another kind's) decodes to undefined, which routes turn into a 404.
 */
export class PublicIds {
  readonly #sqids: Sqids;
  readonly #caches = new Map<IdKind, Cache>();

  constructor(alphabet: string) {
    this.#sqids = new Sqids({ alphabet, minLength: LENGTH });
  }

  #cache(kind: IdKind): Cache {
    let cache = this.#caches.get(kind);
    if (!cache) {
      cache = { encoded: new Map(), decoded: new Map() };
      this.#caches.set(kind, cache);
    }
    return cache;
  }

  encode(kind: IdKind, id: number): string {
    const cache = this.#cache(kind);
    let publicId = cache.encoded.get(id);
    if (publicId === undefined) {
      publicId = this.encodeTuple(kind, [id]);
      remember(cache.encoded, id, publicId);
    }
    return publicId;
  }

  decode(kind: IdKind, publicId: string): number | undefined {
    if (publicId.length > MAX_ID_LENGTH) return undefined;
    const cache = this.#cache(kind);
    const known = cache.decoded.get(publicId);
    if (known !== undefined) return known;
    const [id] = this.decodeTuple(kind, publicId, 1) ?? [];
    if (id === undefined || id < 1) return undefined;
    remember(cache.decoded, publicId, id);
    return id;
  }

  /**
   * Several non-negative integers as one id of `kind` (a position in a merged list, such as
   * the activity trail's). Not cached: such ids are read a page at a time.
   */
  encodeTuple(kind: IdKind, numbers: readonly number[]): string {
    return this.#sqids.encode([KINDS.indexOf(kind), ...numbers]);
  }

  /** The integers behind an id of `kind` made by `encodeTuple`, if it is the canonical encoding of `length` of them. */
  decodeTuple(kind: IdKind, publicId: string, length: number): number[] | undefined {
    if (publicId.length < LENGTH || publicId.length > 40) return undefined;
    const [tag, ...numbers] = this.#sqids.decode(publicId);
    if (tag !== KINDS.indexOf(kind) || numbers.length !== length || !numbers.every(isKey)) return undefined;
    return this.encodeTuple(kind, numbers) === publicId ? numbers : undefined;
  }

  /** The key behind an id in a path: a forged or malformed id is the same 404 as a missing row. */
  require(kind: IdKind, publicId: string, what: string, parameter = 'id'): number {
    const id = this.decode(kind, publicId);
    if (id === undefined) throw notFound(what, parameter);
    return id;
  }
}
