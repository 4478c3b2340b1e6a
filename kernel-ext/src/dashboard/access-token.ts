import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token in the page's URL, as Jupyter's: whoever has the URL may look, nobody else. */
export class AccessToken {
  readonly value = randomBytes(24).toString('hex');
  private readonly digest = digestOf(this.value);

  /** Compares in constant time (digests, so a wrong length tells nothing either). */
  admits(given: string | null): boolean {
    return given !== null && timingSafeEqual(digestOf(given), this.digest);
  }
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
