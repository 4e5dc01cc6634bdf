import Sqids from 'sqids';

const LENGTH = 8;

/**
 * Hellotext-style ids: 8 opaque characters that reversibly encode an integer key with this
 * installation's alphabet. Anything that is not the canonical encoding of one key (forged,
 * truncated, re-padded) decodes to undefined, which routes turn into a 404.
 */
export class PublicIds {
  readonly #sqids: Sqids;

  constructor(alphabet: string) {
    this.#sqids = new Sqids({ alphabet, minLength: LENGTH });
  }

  encode(id: number): string {
    return this.#sqids.encode([id]);
  }

  decode(publicId: string): number | undefined {
    if (publicId.length < LENGTH || publicId.length > 24) return undefined;
    const numbers = this.#sqids.decode(publicId);
    if (numbers.length !== 1) return undefined;
    const [id] = numbers as [number];
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    return this.#sqids.encode([id]) === publicId ? id : undefined;
  }
}
