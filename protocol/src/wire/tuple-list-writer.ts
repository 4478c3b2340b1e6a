import { Payload } from '../payload.js';
import { COUNTED_PAYLOAD_EXT, MAX_COUNT_IN_TYPE } from './payload-ext.js';

/** String.prototype.isWellFormed (Node 20; not yet in TypeScript's ES2023 lib). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Encodes one value with the generic encoder (its payloads' blobs pushed to the message's frames). */
export type GenericEncode = (value: unknown) => Uint8Array;

/** Worst case of a number's, a nil's or a boolean's bytes; a payload's or string's header. */
const SCALAR_BYTES = 9;
const EXT_HEADER_BYTES = 6 + 4;
/** The buffer it writes in, reused; one grown past the largest kept size for a big message is let go after it. */
const INITIAL_BYTES = 64 * 1024;
const MAX_KEPT_BYTES = 1024 * 1024;

/**
 * Writes an envelope `[version, type, fields]` as standard MessagePack, with
 * one field, a list of flat tuples (a run's tasks, a done's results, a client's
 * results), written element by element in one loop. @msgpack/msgpack decodes
 * it as it decodes its own encoder's output; that encoder takes a dozen calls
 * per element, which before the JIT warms up cost about 10 ms per 10,000 items
 * in each process a fresh cluster's first set crosses. The other fields, and a
 * tuple holding anything but numbers, booleans, strings, payloads and nil, go
 * through `generic`. Frames are pushed in the order their payloads are written.
 */
export class TupleListWriter {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private pos = 0;

  /** The envelope's bytes (a copy: the writer's buffer is reused). */
  write(version: number, type: string, fields: Record<string, unknown>, listKey: string, frames: Uint8Array[], generic: GenericEncode): Buffer {
    this.pos = 0;
    try {
      this.ensure(1);
      this.bytes[this.pos++] = 0x93;
      this.writeElement(version, frames);
      this.writeElement(type, frames);
      const keys = Object.keys(fields);
      this.writeMapHeader(keys.length);
      for (const key of keys) {
        if (!this.writeElement(key, frames)) this.append(generic(key));
        const value = fields[key];
        if (key === listKey && Array.isArray(value)) this.writeList(value, frames, generic);
        else this.append(generic(value));
      }
      return Buffer.from(this.bytes.subarray(0, this.pos));
    } finally {
      // Let a buffer grown for a big message go, also when encoding it threw.
      if (this.bytes.byteLength > MAX_KEPT_BYTES) {
        this.pos = 0;
        this.resize(INITIAL_BYTES);
      }
    }
  }

  private writeList(list: unknown[], frames: Uint8Array[], generic: GenericEncode): void {
    this.writeArrayHeader(list.length);
    for (let i = 0; i < list.length; i++) {
      const tuple = list[i];
      if (!Array.isArray(tuple) || tuple.length > 15 || !this.writeTuple(tuple, frames)) this.append(generic(tuple));
    }
  }

  /** False, with nothing written, when an element is not of the kinds this writes. */
  private writeTuple(tuple: unknown[], frames: Uint8Array[]): boolean {
    const start = this.pos;
    const framesBefore = frames.length;
    this.ensure(1);
    this.bytes[this.pos++] = 0x90 | tuple.length;
    for (let i = 0; i < tuple.length; i++) {
      if (!this.writeElement(tuple[i], frames)) {
        this.pos = start;
        frames.length = framesBefore;
        return false;
      }
    }
    return true;
  }

  private writeElement(value: unknown, frames: Uint8Array[]): boolean {
    if (typeof value === 'number') this.writeNumber(value);
    // A string with a lone surrogate goes to the generic encoder, which writes it its own way.
    else if (typeof value === 'string') { if (!isWellFormed(value)) return false; this.writeString(value); }
    else if (value instanceof Payload) this.writePayload(value, frames);
    else if (typeof value === 'boolean') this.writeByte(value ? 0xc3 : 0xc2);
    else if (value === undefined || value === null) this.writeByte(0xc0);
    else return false;
    return true;
  }

  private writeNumber(n: number): void {
    this.ensure(SCALAR_BYTES);
    const b = this.bytes;
    // Integers as the generic encoder writes them, up to 32 bits; a float, or a larger integer, as a float64 (exact).
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

  private writeString(s: string): void {
    const length = s.length === 0 ? 0 : Buffer.byteLength(s);
    // str8 would do for 32–255 bytes; str16 decodes the same and keeps one header writer.
    this.writeLength(length, 0xa0, 32, 0xda);
    this.ensure(length);
    if (length > 0) this.pos += this.bytes.write(s, this.pos, length, 'utf8');
  }

  private writePayload(payload: Payload, frames: Uint8Array[]): void {
    const count = payload.blobs.length;
    for (let i = 0; i < count; i++) frames.push(payload.blobs[i] as Uint8Array);
    const body = payload.body;
    const counted = count > MAX_COUNT_IN_TYPE;
    const size = body.byteLength + (counted ? 4 : 0);
    this.ensure(EXT_HEADER_BYTES + body.byteLength);
    const b = this.bytes;
    if (size < 0x100) { b[this.pos++] = 0xc7; b[this.pos++] = size; }
    else if (size < 0x10000) { b[this.pos++] = 0xc8; this.view.setUint16(this.pos, size); this.pos += 2; }
    else { b[this.pos++] = 0xc9; this.view.setUint32(this.pos, size); this.pos += 4; }
    b[this.pos++] = counted ? COUNTED_PAYLOAD_EXT : count;
    if (counted) { this.view.setUint32(this.pos, count); this.pos += 4; }
    b.set(body, this.pos);
    this.pos += body.byteLength;
  }

  private writeArrayHeader(n: number): void {
    this.writeLength(n, 0x90, 16, 0xdc);
  }

  private writeMapHeader(n: number): void {
    this.writeLength(n, 0x80, 16, 0xde);
  }

  /** `fix | n` below `fixLimit`; else the 16-bit form (code `wide`) or the 32-bit one (`wide + 1`). */
  private writeLength(n: number, fix: number, fixLimit: number, wide: number): void {
    this.ensure(5);
    if (n < fixLimit) this.bytes[this.pos++] = fix | n;
    else if (n < 0x10000) { this.bytes[this.pos++] = wide; this.view.setUint16(this.pos, n); this.pos += 2; }
    else { this.bytes[this.pos++] = wide + 1; this.view.setUint32(this.pos, n); this.pos += 4; }
  }

  private writeByte(byte: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = byte;
  }

  private append(bytes: Uint8Array): void {
    this.ensure(bytes.byteLength);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.byteLength;
  }

  private ensure(n: number): void {
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
