import { PlainReader, UNREAD } from '../msgpack/plain-reader.js';
import { PAYLOAD_LIST_EXT, readEnvelopeExt } from './payload-ext.js';

/** Deeper than this is left to the generic decoder. */
const MAX_DEPTH = 64;
const NO_FRAMES: readonly Uint8Array[] = [];

/**
 * Reads an envelope's head as @msgpack/msgpack's decoder with the envelope's
 * extensions would: beside PlainReader's kinds, maps with string keys,
 * Payloads and PayloadLists. UNREAD for anything else (another extension, a
 * key that is not a string, `__proto__`), for the generic decoder to read
 * whole and judge.
 */
export class EnvelopeReader extends PlainReader {
  private frames: readonly Uint8Array[] = NO_FRAMES;
  /** The first frame no payload has taken yet (frame 0 is the head). */
  next = 1;

  constructor() {
    super(MAX_DEPTH);
  }

  readEnvelope(head: Uint8Array, frames: readonly Uint8Array[]): unknown {
    this.frames = frames;
    this.next = 1;
    try {
      return this.read(head);
    } finally {
      this.frames = NO_FRAMES;
    }
  }

  protected override readOther(depth: number): unknown {
    const cursor = this.cursor;
    const entries = cursor.readLength(0x80);
    if (entries < 0) return this.readExtension();
    const object: Record<string, unknown> = {};
    for (let i = 0; i < entries; i++) {
      const key = cursor.readScalar();
      if (typeof key !== 'string' || key === '__proto__') return UNREAD;
      const value = this.readValue(depth + 1);
      if (value === UNREAD) return UNREAD;
      object[key] = value;
    }
    return object;
  }

  /** A Payload (extension types 0–100) or PayloadList (101) at the cursor; UNREAD for anything else. */
  private readExtension(): unknown {
    const { b, view, pos } = this.cursor;
    let typeAt: number;
    let length: number;
    const head = b[pos] as number;
    if (head >= 0xd4 && head <= 0xd8) { typeAt = pos + 1; length = 1 << (head - 0xd4); }
    else if (head === 0xc7) { typeAt = pos + 2; length = b[pos + 1] as number; }
    else if (head === 0xc8) { typeAt = pos + 3; length = view.getUint16(pos + 1); }
    else if (head === 0xc9) { typeAt = pos + 5; length = view.getUint32(pos + 1); }
    else return UNREAD;
    const type = view.getInt8(typeAt);
    if (type < 0 || type > PAYLOAD_LIST_EXT) return UNREAD;
    const start = typeAt + 1;
    this.cursor.pos = start + length;
    const value = readEnvelopeExt(b.subarray(start, start + length), type, this.frames, this.next);
    this.next += value.blobs.length;
    return value;
  }
}
