import { createHash } from 'node:crypto';
import Sqids from 'sqids';
import { notFound } from '../../core/shared/errors.js';

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
 * Hellotext-style ids: 8 opaque characters that reversibly encode an integer key with this
 * installation's alphabet, permuted per kind of object, so a list's id is no profile's id.
 * Anything that is not the canonical encoding of one key of that kind (forged, truncated,
 * re-padded, another kind's) decodes to undefined, which routes turn into a 404.
 */
export class PublicIds {
  readonly #alphabet: string;
  readonly #codecs = new Map<IdKind, Sqids>();

  constructor(alphabet: string) {
    this.#alphabet = alphabet;
  }

  #codec(kind: IdKind): Sqids {
    let codec = this.#codecs.get(kind);
    if (!codec) {
      codec = new Sqids({ alphabet: alphabetFor(this.#alphabet, kind), minLength: LENGTH });
      this.#codecs.set(kind, codec);
    }
    return codec;
  }

  encode(kind: IdKind, id: number): string {
    return this.#codec(kind).encode([id]);
  }

  decode(kind: IdKind, publicId: string): number | undefined {
    if (publicId.length < LENGTH || publicId.length > 24) return undefined;
    const codec = this.#codec(kind);
    const numbers = codec.decode(publicId);
    if (numbers.length !== 1) return undefined;
    const [id] = numbers as [number];
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    return codec.encode([id]) === publicId ? id : undefined;
  }

  /** The key behind an id in a path: a forged or malformed id is the same 404 as a missing row. */
  require(kind: IdKind, publicId: string, what: string, parameter = 'id'): number {
    const id = this.decode(kind, publicId);
    if (id === undefined) throw notFound(what, parameter);
    return id;
  }
}
