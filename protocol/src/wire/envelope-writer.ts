import { isWellFormed, ScalarWriter } from '../msgpack/scalar-writer.js';
import { Payload } from '../payload.js';
import { PayloadList } from '../payload-list.js';
import { envelopeExtOf } from './payload-ext.js';

/** Encodes one value with the generic encoder, its payloads' blobs pushed to the message's frames. */
export type GenericEncode = (value: unknown) => Uint8Array;

/** Deeper than this is left to the generic encoder (which takes 100 more levels; receivers check up to 256). */
const MAX_DEPTH = 64;

/**
 * Writes an envelope as standard MessagePack that @msgpack/msgpack reads as it
 * reads its own encoder's (with the envelope's extensions): nil, booleans, numbers, strings,
 * arrays, plain objects, Payloads and PayloadLists, each in a call or two.
 * That encoder takes a dozen calls per element, which before the JIT warms up
 * cost about 10 ms per 10,000 tasks in every process a fresh cluster's first
 * set crosses. Anything else (a lone surrogate, a class instance) goes through
 * `generic`, in place. Blobs go to `frames` in the order their payloads are
 * written, as the generic encoder pushes them.
 */
export class EnvelopeWriter {
  private readonly out = new ScalarWriter();
  private frames: Uint8Array[] = [];
  private generic: GenericEncode = () => new Uint8Array(0);
  private busy = false;

  write(envelope: unknown, frames: Uint8Array[], generic: GenericEncode): Buffer {
    // A getter or Proxy trap in what is written can send a message of its own: that one gets a writer of its own.
    if (this.busy) return new EnvelopeWriter().write(envelope, frames, generic);
    this.busy = true;
    this.frames = frames;
    this.generic = generic;
    try {
      this.writeValue(envelope, 0);
      return this.out.take();
    } finally {
      this.out.reset();
      this.frames = [];
      this.busy = false;
    }
  }

  private writeValue(value: unknown, depth: number): void {
    const out = this.out;
    if (typeof value === 'number') out.writeNumber(value);
    else if (typeof value === 'string' && isWellFormed(value)) out.writeString(value);
    else if (typeof value === 'boolean') out.writeByte(value ? 0xc3 : 0xc2);
    else if (value === undefined || value === null) out.writeByte(0xc0);
    else if (value instanceof Payload || value instanceof PayloadList) this.writeExtension(value);
    else if (depth < MAX_DEPTH && Array.isArray(value)) {
      out.writeArrayHeader(value.length);
      for (let i = 0; i < value.length; i++) this.writeValue(value[i], depth + 1);
    } else if (depth < MAX_DEPTH && isPlainObject(value)) this.writeObject(value, depth);
    else out.append(this.generic(value));
  }

  private writeObject(object: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(object);
    if (!keys.every(isWellFormed)) {
      this.out.append(this.generic(object));
      return;
    }
    this.out.writeMapHeader(keys.length);
    for (const key of keys) {
      this.out.writeString(key);
      this.writeValue(object[key], depth + 1);
    }
  }

  private writeExtension(value: Payload | PayloadList): void {
    const { type, data } = envelopeExtOf(value, this.frames);
    this.out.writeExtHeader(type, data.byteLength);
    this.out.append(data);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
