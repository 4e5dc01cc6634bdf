import { createHash } from 'node:crypto';
import Sqids from 'sqids';
import { notFound } from './errors.js';

const LENGTH = 8;

/** Every kind of object that has a Hellotext-style id. */
export type IdKind =
  | 'business'
  | 'api_key'
  | 'profile'
  | 'property'
  | 'list'
  | 'suppression'
  | 'activity'
  | 'action'
  | 'session'
  | 'event'
  | 'app'
  | 'form'
  | 'coupon'
  | 'product'
  | 'product_variant'
  | 'order'
  | 'order_item'
  | 'cart'
  | 'cart_item'
  | 'refund'
  | 'channel'
  | 'template'
  | 'message'
  | 'webhook'
  | 'webhook_delivery';

/** A deterministic permutation of `alphabet` for `kind`, so each kind reads ids differently. */
function alphabetFor(alphabet: string, kind: IdKind): string {
  const letters = [...alphabet];
  let seed = createHash('sha256').update(`${kind}:${alphabet}`).digest();
  for (let i = letters.length - 1; i > 0; i--) {
    if (i % 16 === 0) seed = createHash('sha256').update(seed).digest();
    const j = (seed.readUInt16BE((i % 16) * 2) % (i + 1)) as number;
    [letters[i], letters[j]] = [letters[j] as string, letters[i] as string];
  }
  return letters.join('');
}

/**
 * Encoding checks every id against sqids' blocklist of words, which makes it the dearest step
 * of answering a page of objects: recent ids are kept, both ways. Forged ids are never kept.
 */
const CACHED_IDS_PER_KIND = 20_000;

interface Codec {
  readonly sqids: Sqids;
  readonly encoded: Map<number, string>;
  readonly decoded: Map<string, number>;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHED_IDS_PER_KIND) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}

/**
 * Hellotext-style ids: 8 opaque characters that reversibly encode an integer key with this
 * installation's alphabet, permuted per kind of object, so a list's id is no profile's id.
 * Anything that is not the canonical encoding of one key of that kind (forged, truncated,
 * re-padded, another kind's) decodes to undefined, which routes turn into a 404.
 */
export class PublicIds {
  readonly #alphabet: string;
  readonly #codecs = new Map<IdKind, Codec>();

  constructor(alphabet: string) {
    this.#alphabet = alphabet;
  }

  #codec(kind: IdKind): Codec {
    let codec = this.#codecs.get(kind);
    if (!codec) {
      codec = { sqids: new Sqids({ alphabet: alphabetFor(this.#alphabet, kind), minLength: LENGTH }), encoded: new Map(), decoded: new Map() };
      this.#codecs.set(kind, codec);
    }
    return codec;
  }

  encode(kind: IdKind, id: number): string {
    const codec = this.#codec(kind);
    let publicId = codec.encoded.get(id);
    if (publicId === undefined) {
      publicId = codec.sqids.encode([id]);
      remember(codec.encoded, id, publicId);
    }
    return publicId;
  }

  decode(kind: IdKind, publicId: string): number | undefined {
    if (publicId.length < LENGTH || publicId.length > 24) return undefined;
    const codec = this.#codec(kind);
    const known = codec.decoded.get(publicId);
    if (known !== undefined) return known;
    const numbers = codec.sqids.decode(publicId);
    if (numbers.length !== 1) return undefined;
    const [id] = numbers as [number];
    if (!Number.isSafeInteger(id) || id < 1 || this.encode(kind, id) !== publicId) return undefined;
    remember(codec.decoded, publicId, id);
    return id;
  }

  /**
   * Several non-negative integers as one id of `kind` (a position in a merged list, such as
   * the activity trail's). Not cached: such ids are read a page at a time.
   */
  encodeTuple(kind: IdKind, numbers: readonly number[]): string {
    return this.#codec(kind).sqids.encode([...numbers]);
  }

  /** The integers behind an id made by `encodeTuple`, if it is the canonical encoding of `length` of them. */
  decodeTuple(kind: IdKind, publicId: string, length: number): number[] | undefined {
    if (publicId.length < LENGTH || publicId.length > 40) return undefined;
    const numbers = this.#codec(kind).sqids.decode(publicId);
    if (numbers.length !== length || !numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
    return this.encodeTuple(kind, numbers) === publicId ? numbers : undefined;
  }

  /** The key behind an id in a path: a forged or malformed id is the same 404 as a missing row. */
  require(kind: IdKind, publicId: string, what: string, parameter = 'id'): number {
    const id = this.decode(kind, publicId);
    if (id === undefined) throw notFound(what, parameter);
    return id;
  }
}
