import { Payload } from './payload.js';

/**
 * Many payloads (a set's tasks) held as one buffer of bodies side by side and
 * their end offsets, not as an object each: a process that queues a million
 * tasks holds a few bytes per task until it hands one on, and only then makes
 * its Payload (`at`). Blobs, rare in small tasks, are listed with their own end
 * offsets, only when some payload has any.
 */
export class PayloadList {
  constructor(
    /** The bodies, one after the other. */
    readonly bodies: Uint8Array,
    /** Where each body ends in `bodies`. */
    readonly ends: Uint32Array,
    readonly blobs: readonly Uint8Array[] = [],
    /** Where each payload's blobs end in `blobs`; undefined when none has any. */
    readonly blobEnds: Uint32Array | undefined = undefined,
  ) {}

  /** The list of these payloads, in order. */
  static of(payloads: readonly Payload[]): PayloadList {
    const builder = new PayloadListBuilder();
    for (const payload of payloads) builder.add(payload.body, payload.blobs);
    return builder.build();
  }

  get length(): number {
    return this.ends.length;
  }

  at(index: number): Payload {
    const start = index === 0 ? 0 : (this.ends[index - 1] as number);
    const body = this.bodies.subarray(start, this.ends[index]);
    if (this.blobEnds === undefined) return new Payload(body);
    const firstBlob = index === 0 ? 0 : (this.blobEnds[index - 1] as number);
    const lastBlob = this.blobEnds[index] as number;
    return lastBlob === firstBlob ? new Payload(body) : new Payload(body, this.blobs.slice(firstBlob, lastBlob));
  }
}

/** A one-task set (a round trip) allocates no more than this; a large set doubles from here. */
const FIRST_BYTES = 256;

/** Collects payloads' bodies and blobs into one PayloadList, growing one buffer. */
export class PayloadListBuilder {
  private bodies = new Uint8Array(FIRST_BYTES);
  private used = 0;
  private ends: number[] = [];
  private readonly blobs: Uint8Array[] = [];
  private blobEnds: number[] | undefined;

  add(body: Uint8Array, blobs: readonly Uint8Array[]): void {
    if (this.used + body.byteLength > this.bodies.byteLength) {
      const grown = new Uint8Array(Math.max(2 * this.bodies.byteLength, this.used + body.byteLength));
      grown.set(this.bodies.subarray(0, this.used));
      this.bodies = grown;
    }
    this.bodies.set(body, this.used);
    this.used += body.byteLength;
    this.ends.push(this.used);
    if (blobs.length > 0 && this.blobEnds === undefined) this.blobEnds = this.ends.slice(0, -1).fill(0);
    for (const blob of blobs) this.blobs.push(blob);
    this.blobEnds?.push(this.blobs.length);
  }

  build(): PayloadList {
    // Copied out when mostly empty: a small list does not pin a grown buffer for as long as it is kept.
    const bodies = this.used < this.bodies.byteLength / 2 ? this.bodies.slice(0, this.used) : this.bodies.subarray(0, this.used);
    const list = new PayloadList(bodies, Uint32Array.from(this.ends), this.blobs, this.blobEnds === undefined ? undefined : Uint32Array.from(this.blobEnds));
    this.ends = [];
    return list;
  }
}
