/** What readScalar returns, the cursor unmoved, at a value that is not nil, a boolean, a number or a string. */
export const NOT_SCALAR = Symbol('not a scalar');

const EMPTY = new Uint8Array(0);
/** @msgpack/msgpack 3.1 decodes strings longer than this with TextDecoder, which drops a leading BOM. */
const LIBRARY_TEXT_DECODER_BYTES = 200;
/** Strings this short are tried as ASCII first. */
const MAX_ASCII_LOOP = 32;

/**
 * Reads MessagePack scalars as @msgpack/msgpack decodes them (nil as null,
 * 64-bit integers as numbers), one call each. For the shortcut readers of hot
 * paths, which see buffers that passed checkBounds: every length they declare
 * fits, so no read here runs past the end.
 */
export class ScalarCursor {
  b: Uint8Array = EMPTY;
  pos = 0;
  // Made when first needed: most values (small integers, short headers) need neither.
  private dataView: DataView | undefined;
  private buffer: Buffer | undefined;

  reset(bytes: Uint8Array): void {
    this.b = bytes;
    this.pos = 0;
    this.dataView = undefined;
    this.buffer = undefined;
  }

  /** Lets the last buffer go. */
  release(): void {
    this.reset(EMPTY);
  }

  get view(): DataView {
    return (this.dataView ??= new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength));
  }

  readScalar(): unknown {
    const b = this.b;
    const at = this.pos;
    const head = b[at] as number;
    if (head <= 0x7f) { this.pos = at + 1; return head; }
    if (head >= 0xe0) { this.pos = at + 1; return head - 0x100; }
    if ((head & 0xe0) === 0xa0) return this.readString(at + 1, head & 0x1f);
    if (head < 0xc0 || head > 0xdb) return NOT_SCALAR;
    return this.readTagged(head, at);
  }

  /** A scalar with a head byte of 0xc0–0xdb. */
  private readTagged(head: number, at: number): unknown {
    const b = this.b;
    const v = this.view;
    switch (head) {
      case 0xc0: this.pos = at + 1; return null;
      case 0xc2: this.pos = at + 1; return false;
      case 0xc3: this.pos = at + 1; return true;
      case 0xcc: this.pos = at + 2; return b[at + 1];
      case 0xcd: this.pos = at + 3; return v.getUint16(at + 1);
      case 0xce: this.pos = at + 5; return v.getUint32(at + 1);
      case 0xcf: this.pos = at + 9; return v.getUint32(at + 1) * 2 ** 32 + v.getUint32(at + 5);
      case 0xd0: this.pos = at + 2; return v.getInt8(at + 1);
      case 0xd1: this.pos = at + 3; return v.getInt16(at + 1);
      case 0xd2: this.pos = at + 5; return v.getInt32(at + 1);
      case 0xd3: this.pos = at + 9; return v.getInt32(at + 1) * 2 ** 32 + v.getUint32(at + 5);
      case 0xca: this.pos = at + 5; return v.getFloat32(at + 1);
      case 0xcb: this.pos = at + 9; return v.getFloat64(at + 1);
      case 0xd9: return this.readString(at + 2, b[at + 1] as number);
      case 0xda: return this.readString(at + 3, v.getUint16(at + 1));
      case 0xdb: return this.readString(at + 5, v.getUint32(at + 1));
      default: return NOT_SCALAR;
    }
  }

  /** An array's (`fix` 0x90) or map's (0x80) length at the cursor, moving past its header; -1, unmoved, for another head. */
  readLength(fix: 0x90 | 0x80): number {
    const head = this.b[this.pos] as number;
    // The 16- and 32-bit forms: 0xdc and 0xdd for an array, 0xde and 0xdf for a map.
    const wide = fix === 0x90 ? 0xdc : 0xde;
    if ((head & 0xf0) === fix) { this.pos += 1; return head & 0x0f; }
    if (head === wide) { this.pos += 3; return this.view.getUint16(this.pos - 2); }
    if (head === wide + 1) { this.pos += 5; return this.view.getUint32(this.pos - 4); }
    return -1;
  }

  /**
   * A string whose bytes are well-formed UTF-8, as both decoders read those. Anything else (U+FFFD in the
   * result: a replaced sequence, or one sent as such), and a long string opening with a BOM (which the
   * library's TextDecoder drops), is NOT_SCALAR, the cursor unmoved: the library reads those its own way.
   */
  private readString(start: number, length: number): unknown {
    if (length === 0) {
      this.pos = start;
      return '';
    }
    if (length <= MAX_ASCII_LOOP) {
      const ascii = this.readAscii(start, length);
      if (ascii !== undefined) return ascii;
    }
    this.buffer ??= Buffer.isBuffer(this.b) ? this.b : Buffer.from(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    const s = this.buffer.toString('utf8', start, start + length);
    if (s.includes('\ufffd') || (length > LIBRARY_TEXT_DECODER_BYTES && s.charCodeAt(0) === 0xfeff)) return NOT_SCALAR;
    this.pos = start + length;
    return s;
  }

  /** A short ASCII string, from its char codes: cheaper than Buffer's call (names and keys, mostly); undefined for any other. */
  private readAscii(start: number, length: number): string | undefined {
    const b = this.b;
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const c = b[start + i] as number;
      if (c >= 0x80) return undefined;
      codes[i] = c;
    }
    this.pos = start + length;
    return String.fromCharCode(...codes);
  }
}
