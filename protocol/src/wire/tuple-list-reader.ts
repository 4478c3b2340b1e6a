import { valueEnd, type Bounds } from '../msgpack/check-bounds.js';
import { NOT_SCALAR, ScalarCursor } from '../msgpack/scalar-cursor.js';
import { PROTOCOL_VERSION, TUPLE_LISTS, type MessageType } from './messages.js';
import { COUNTED_PAYLOAD_EXT, readPayloadExt } from './payload-ext.js';

/** Decodes one value with the generic decoder, its payloads' blobs the frames from `next` on; returns the frame after them. */
export type GenericDecode = (bytes: Uint8Array, next: number) => { value: unknown; next: number };

/** A head read: its type and fields, and the first frame no payload took. */
export interface ReadEnvelope { type: string; fields: Record<string, unknown>; next: number }

/** An element this reader leaves to the generic decoder, and with it the whole head. */
const UNREAD = Symbol('unread');
const NO_FRAMES: readonly Uint8Array[] = [];

/**
 * Reads what TupleListWriter writes, in one loop per tuple: the generic decoder
 * took about 2 µs per task before the JIT warmed up, in every process a fresh
 * cluster's first set crosses. Only a shortcut: `read` takes a head that passed
 * checkBounds, and returns undefined for anything it does not know (another
 * message, an element of another kind), for the generic decoder to read whole
 * and judge. Fields beside the list go through `generic`.
 */
export class TupleListReader {
  private readonly cursor = new ScalarCursor();
  private frames: readonly Uint8Array[] = NO_FRAMES;
  private next = 1;

  read(head: Uint8Array, frames: readonly Uint8Array[], bounds: Bounds, generic: GenericDecode): ReadEnvelope | undefined {
    this.cursor.reset(head);
    this.frames = frames;
    this.next = 1;
    try {
      return this.readEnvelope(bounds, generic);
    } finally {
      this.cursor.release();
      this.frames = NO_FRAMES;
    }
  }

  private readEnvelope(bounds: Bounds, generic: GenericDecode): ReadEnvelope | undefined {
    const cursor = this.cursor;
    if (cursor.readLength(0x90) !== 3) return undefined;
    const version = cursor.readScalar();
    const type = cursor.readScalar();
    if (version !== PROTOCOL_VERSION || typeof type !== 'string' || !Object.hasOwn(TUPLE_LISTS, type)) return undefined;
    const listKey = TUPLE_LISTS[type as MessageType];
    const entries = cursor.readLength(0x80);
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < entries; i++) {
      const key = cursor.readScalar();
      if (typeof key !== 'string' || key === '__proto__') return undefined;
      if (key === listKey) {
        const list = this.readList();
        if (list === UNREAD) return undefined;
        fields[key] = list;
      } else {
        const end = valueEnd(cursor.b, cursor.pos, bounds);
        const decoded = generic(cursor.b.subarray(cursor.pos, end), this.next);
        fields[key] = decoded.value;
        this.next = decoded.next;
        cursor.pos = end;
      }
    }
    return entries < 0 ? undefined : { type, fields, next: this.next };
  }

  private readList(): unknown[] | typeof UNREAD {
    const cursor = this.cursor;
    const n = cursor.readLength(0x90);
    if (n < 0) return UNREAD;
    // Sized up front, as the generic decoder does: arrays grown by push hold spare slots, which a flood of tiny tuples multiplies.
    const list = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const length = (cursor.b[cursor.pos] as number) ^ 0x90;
      if (length > 15) return UNREAD;
      cursor.pos += 1;
      const tuple = new Array<unknown>(length);
      for (let j = 0; j < length; j++) {
        let element = cursor.readScalar();
        if (element === NOT_SCALAR) element = this.readPayload();
        if (element === UNREAD) return UNREAD;
        tuple[j] = element;
      }
      list[i] = tuple;
    }
    return list;
  }

  /** A Payload (an extension of type 0–100) at the cursor; UNREAD for anything else. */
  private readPayload(): unknown {
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
    if (type < 0 || type > COUNTED_PAYLOAD_EXT) return UNREAD;
    const start = typeAt + 1;
    this.cursor.pos = start + length;
    const payload = readPayloadExt(b.subarray(start, start + length), type, this.frames, this.next);
    this.next += payload.blobs.length;
    return payload;
  }
}
