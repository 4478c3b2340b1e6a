/** The buffer it writes in, reused; one grown past the largest kept size for a big message is let go after it. */
const INITIAL_BYTES = 64 * 1024;
const MAX_KEPT_BYTES = 1024 * 1024;
/** Worst case of a number's bytes, and of a header's. */
const NUMBER_BYTES = 9;
const HEADER_BYTES = 5;
/** Strings this short (a fixstr) are tried as ASCII first. */
const MAX_ASCII_LOOP = 31;

/**
 * Writes MessagePack scalars and headers into one reused buffer: the
 * counterpart of ScalarCursor, for the shortcut writers of hot paths. Each in
 * a form @msgpack/msgpack reads as the same value, though not always the one
 * its encoder picks (str16 from 32 bytes, ext 8/16/32 rather than fixext, and
 * integers past 32 bits as float64, exactly).
 */
export class ScalarWriter {
  bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  pos = 0;

  /** What is written, copied out: the buffer is reused after reset(). */
  take(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.pos));
  }

  /** Starts again, empty (after a message, also one that threw), letting a grown buffer go. */
  reset(): void {
    this.pos = 0;
    if (this.bytes.byteLength > MAX_KEPT_BYTES) this.resize(INITIAL_BYTES);
  }

  writeNumber(n: number): void {
    this.ensure(NUMBER_BYTES);
    const b = this.bytes;
    // Integers up to 32 bits as the generic encoder writes them; a float, or a larger integer, as a float64 (exact).
    if (Number.isSafeInteger(n) && n >= -0x80000000 && n <= 0xffffffff) {
      if (n >= 0) {
        if (n < 0x80) b[this.pos++] = n;
        else if (n < 0x100) { b[this.pos++] = 0xcc; b[this.pos++] = n; }
        else if (n < 0x10000) { b[this.pos++] = 0xcd; this.view.setUint16(this.pos, n); this.pos += 2; }
        else { b[this.pos++] = 0xce; this.view.setUint32(this.pos, n); this.pos += 4; }
      } else if (n >= -0x20) b[this.pos++] = n & 0xff;
      else if (n >= -0x80) { b[this.pos++] = 0xd0; b[this.pos++] = n & 0xff; }
      else if (n >= -0x8000) { b[this.pos++] = 0xd1; this.view.setInt16(this.pos, n); this.pos += 2; }
      else { b[this.pos++] = 0xd2; this.view.setInt32(this.pos, n); this.pos += 4; }
    } else {
      b[this.pos++] = 0xcb;
      this.view.setFloat64(this.pos, n);
      this.pos += 8;
    }
  }

  /** A well-formed string (see isWellFormed): the generic encoder writes a lone surrogate its own way. */
  writeString(s: string): void {
    if (s.length <= MAX_ASCII_LOOP && this.writeAscii(s)) return;
    const length = s.length === 0 ? 0 : Buffer.byteLength(s);
    // str8 would do for 32–255 bytes; str16 decodes the same and keeps one header writer.
    this.writeLength(length, 0xa0, 32, 0xda);
    this.ensure(length);
    if (length > 0) this.pos += this.bytes.write(s, this.pos, length, 'utf8');
  }

  /** A short ASCII string, byte by byte: cheaper than Buffer's calls, cold or warm; false, with nothing written, for any other. */
  private writeAscii(s: string): boolean {
    const n = s.length;
    this.ensure(1 + n);
    const b = this.bytes;
    const at = this.pos + 1;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[at + i] = c;
    }
    b[this.pos] = 0xa0 | n;
    this.pos = at + n;
    return true;
  }

  writeByte(byte: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = byte;
  }

  writeArrayHeader(n: number): void {
    this.writeLength(n, 0x90, 16, 0xdc);
  }

  writeMapHeader(n: number): void {
    this.writeLength(n, 0x80, 16, 0xde);
  }

  /** An extension's header: the smallest of ext 8, 16 and 32 (fixext forms are not needed: these decode the same). */
  writeExtHeader(type: number, size: number): void {
    this.ensure(HEADER_BYTES + 1);
    const b = this.bytes;
    if (size < 0x100) { b[this.pos++] = 0xc7; b[this.pos++] = size; }
    else if (size < 0x10000) { b[this.pos++] = 0xc8; this.view.setUint16(this.pos, size); this.pos += 2; }
    else { b[this.pos++] = 0xc9; this.view.setUint32(this.pos, size); this.pos += 4; }
    b[this.pos++] = type;
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.byteLength);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.byteLength;
  }

  /** `fix | n` below `fixLimit`; else the 16-bit form (code `wide`) or the 32-bit one (`wide + 1`). */
  private writeLength(n: number, fix: number, fixLimit: number, wide: number): void {
    this.ensure(HEADER_BYTES);
    if (n < fixLimit) this.bytes[this.pos++] = fix | n;
    else if (n < 0x10000) { this.bytes[this.pos++] = wide; this.view.setUint16(this.pos, n); this.pos += 2; }
    else { this.bytes[this.pos++] = wide + 1; this.view.setUint32(this.pos, n); this.pos += 4; }
  }

  ensure(n: number): void {
    if (this.pos + n > this.bytes.byteLength) this.resize(Math.max(this.bytes.byteLength * 2, this.pos + n));
  }

  /** A new buffer of `size` bytes, holding what is written so far. */
  private resize(size: number): void {
    const bytes = Buffer.allocUnsafe(size);
    bytes.set(this.bytes.subarray(0, this.pos));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

/** String.prototype.isWellFormed (Node 20; not yet in TypeScript's ES2023 lib). */
export function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}
