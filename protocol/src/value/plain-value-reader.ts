import { NOT_SCALAR, ScalarCursor } from '../msgpack/scalar-cursor.js';

/** What readPlainValue returns for a value it leaves to the generic decoder. */
export const NOT_PLAIN = Symbol('not plain');

/** Deeper than this is left to the generic decoder: this reader recurses. */
const MAX_PLAIN_DEPTH = 16;

const cursor = new ScalarCursor();

/**
 * Reads a value made only of nil, booleans, numbers, strings and arrays (most
 * tasks' arguments, and many results) as the value codec's generic decoder
 * reads it, in a call or two per element: that decoder's set-up per call took
 * about 2 µs before the JIT warmed up, in every executor, for every task.
 * `body` must be of that kind, as checkBounds says (objects are left to the
 * generic decoder, whose key cache makes it the faster once warm). NOT_PLAIN
 * for what it leaves to that decoder even so: a string that is not well-formed
 * UTF-8, or nesting deeper than 16.
 */
export function readPlainValue(body: Uint8Array): unknown {
  cursor.reset(body);
  try {
    return readValue(0);
  } finally {
    cursor.release();
  }
}

function readValue(depth: number): unknown {
  const scalar = cursor.readScalar();
  if (scalar !== NOT_SCALAR) return scalar;
  if (depth >= MAX_PLAIN_DEPTH) return NOT_PLAIN;
  const length = cursor.readLength(0x90);
  if (length >= 0) {
    // Sized up front, as the generic decoder does: an array grown by push holds spare slots, which a flood of tiny arrays multiplies.
    const array = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const element = readValue(depth + 1);
      if (element === NOT_PLAIN) return NOT_PLAIN;
      array[i] = element;
    }
    return array;
  }
  return NOT_PLAIN;
}
