import { NOT_SCALAR, ScalarCursor } from './scalar-cursor.js';

/** What a shortcut reader returns for bytes it leaves, whole, to the generic decoder. */
export const UNREAD = Symbol('unread');

/**
 * Reads nil, booleans, numbers, strings and arrays of them as @msgpack/msgpack
 * decodes them, in a call or two per element, for the shortcut readers of hot
 * paths: the generic decoder's calls per element cost about 2 µs per task
 * before the JIT warmed up, in every process a fresh cluster's first set
 * crosses. Subclasses read more kinds (readOther). Takes bytes that passed
 * checkBounds (every length they declare fits), and returns UNREAD for
 * anything it does not know, or nesting deeper than `maxDepth` (it recurses).
 */
export class PlainReader {
  protected readonly cursor = new ScalarCursor();

  constructor(private readonly maxDepth: number) {}

  read(bytes: Uint8Array): unknown {
    this.cursor.reset(bytes);
    try {
      return this.readValue(0);
    } finally {
      this.cursor.release();
    }
  }

  protected readValue(depth: number): unknown {
    const scalar = this.cursor.readScalar();
    if (scalar !== NOT_SCALAR) return scalar;
    if (depth >= this.maxDepth) return UNREAD;
    const length = this.cursor.readLength(0x90);
    if (length < 0) return this.readOther(depth);
    // Sized up front, as the generic decoder does: arrays grown by push hold spare slots, which a flood of tiny ones multiplies.
    const array = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const element = this.readValue(depth + 1);
      if (element === UNREAD) return UNREAD;
      array[i] = element;
    }
    return array;
  }

  /** The value at the cursor, neither a scalar nor an array: none here. */
  protected readOther(_depth: number): unknown {
    return UNREAD;
  }
}
