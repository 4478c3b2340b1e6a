import { ProtocolError } from '../errors.js';

/** Limits on what one MessagePack buffer may declare. */
export interface Bounds {
  /** Most arrays, maps and nested extensions one value may sit inside. */
  maxDepth: number;
  /** Extension types whose data is itself one MessagePack value: checked in the same pass, one level deeper. */
  nestedExtTypes?: ReadonlySet<number>;
}

/**
 * Deeper than anything our encoders write: @msgpack/msgpack refuses to encode
 * past 100 levels, and only the value codec's extensions (Map, Set, Error, a
 * copyable) start a new count.
 */
export const MAX_DEPTH = 256;

// By depth, the count of values owed at which that open array or map is complete; one buffer, as checks never overlap.
let closesAt = new Float64Array(MAX_DEPTH + 1);

/**
 * Walks the MessagePack headers of `bytes` (no allocation, O(bytes)) and throws
 * a ProtocolError unless it is exactly one complete value that nests at most
 * `maxDepth` deep and whose every declared length (array, map, str, bin, ext)
 * fits in the bytes left after what enclosing arrays and maps still owe: an
 * element takes at least one byte, a map entry two. A decoder given a buffer
 * that passes allocates at most one array slot per byte. Returns true when the
 * value holds nothing but nil, booleans, numbers, strings and arrays (no map,
 * bin or extension): what PlainReader reads.
 */
export function checkBounds(bytes: Uint8Array, bounds: Bounds): boolean {
  plainOnly = true;
  checkExactly(bytes, 0, bytes.byteLength, 0, bounds);
  return plainOnly;
}

/** Cleared by walkValue at a map, bin or extension: what checkBounds returns. */
let plainOnly = true;

/** The value from `start` must end exactly at `end`. */
function checkExactly(b: Uint8Array, start: number, end: number, baseDepth: number, bounds: Bounds): void {
  if (closesAt.length <= bounds.maxDepth) closesAt = new Float64Array(bounds.maxDepth + 1);
  const pos = walkValue(b, start, end, baseDepth, bounds);
  if (pos < end) throw new ProtocolError('ERR_EXTRA_BYTES', `${end - pos} extra bytes follow the value, from offset ${pos}`);
}

/** Past the one value at `start`, which must fit before `end`. */
function walkValue(b: Uint8Array, start: number, end: number, baseDepth: number, bounds: Bounds): number {
  let pos = start;
  let depth = baseDepth;
  // Values still to read, each at least one byte: the first, then every declared child.
  let owed = 1;
  while (owed > 0) {
    if (pos >= end) throw truncated(pos);
    const head = b[pos] as number;
    owed--;
    let children = 0;
    if (head <= 0x7f || head >= 0xe0) pos += 1;
    else if (head <= 0x8f) { children = 2 * (head & 0x0f); pos += 1; plainOnly = false; }
    else if (head <= 0x9f) { children = head & 0x0f; pos += 1; }
    else if (head <= 0xbf) pos = skipData(pos + 1, head & 0x1f, end, owed);
    else {
      // Beyond nil, booleans, numbers, strings and arrays (0xc0–0xc3, 0xca–0xd3, 0xd9–0xdd).
      if (head <= 0xc9 ? head >= 0xc4 : (head >= 0xd4 && head <= 0xd8) || head >= 0xde) plainOnly = false;
      switch (head) {
        case 0xc0: case 0xc2: case 0xc3: pos += 1; break;
        case 0xcc: case 0xd0: pos += 2; break;
        case 0xcd: case 0xd1: pos += 3; break;
        case 0xca: case 0xce: case 0xd2: pos += 5; break;
        case 0xcb: case 0xcf: case 0xd3: pos += 9; break;
        case 0xd9: case 0xc4: pos = skipData(pos + 2, readLength(b, pos, 1, end), end, owed); break;
        case 0xda: case 0xc5: pos = skipData(pos + 3, readLength(b, pos, 2, end), end, owed); break;
        case 0xdb: case 0xc6: pos = skipData(pos + 5, readLength(b, pos, 4, end), end, owed); break;
        case 0xd4: pos = skipExt(b, pos + 1, 1, end, owed, depth, bounds); break;
        case 0xd5: pos = skipExt(b, pos + 1, 2, end, owed, depth, bounds); break;
        case 0xd6: pos = skipExt(b, pos + 1, 4, end, owed, depth, bounds); break;
        case 0xd7: pos = skipExt(b, pos + 1, 8, end, owed, depth, bounds); break;
        case 0xd8: pos = skipExt(b, pos + 1, 16, end, owed, depth, bounds); break;
        case 0xc7: pos = skipExt(b, pos + 2, readLength(b, pos, 1, end), end, owed, depth, bounds); break;
        case 0xc8: pos = skipExt(b, pos + 3, readLength(b, pos, 2, end), end, owed, depth, bounds); break;
        case 0xc9: pos = skipExt(b, pos + 5, readLength(b, pos, 4, end), end, owed, depth, bounds); break;
        case 0xdc: children = readLength(b, pos, 2, end); pos += 3; break;
        case 0xdd: children = readLength(b, pos, 4, end); pos += 5; break;
        case 0xde: children = 2 * readLength(b, pos, 2, end); pos += 3; break;
        case 0xdf: children = 2 * readLength(b, pos, 4, end); pos += 5; break;
        default: throw new ProtocolError('ERR_BAD_BYTE', `byte 0x${head.toString(16)} at offset ${pos} starts no MessagePack value`);
      }
    }
    if (children > 0) {
      if (owed + children > end - pos) throw tooLong(children, end - pos - owed, pos);
      if (++depth > bounds.maxDepth) throw tooDeep(bounds.maxDepth);
      closesAt[depth] = owed;
      owed += children;
    } else {
      while (depth > baseDepth && closesAt[depth] === owed) depth--;
    }
  }
  if (pos > end) throw truncated(end);
  return pos;
}

/** A length of `size` bytes right after the head byte at `pos`. */
function readLength(b: Uint8Array, pos: number, size: 1 | 2 | 4, end: number): number {
  if (pos + size >= end) throw truncated(end);
  if (size === 1) return b[pos + 1] as number;
  if (size === 2) return ((b[pos + 1] as number) << 8) | (b[pos + 2] as number);
  return (b[pos + 1] as number) * 2 ** 24 + (((b[pos + 2] as number) << 16) | ((b[pos + 3] as number) << 8) | (b[pos + 4] as number));
}

/** The end of `length` data bytes at `start`, which must leave a byte for each value still owed. */
function skipData(start: number, length: number, end: number, owed: number): number {
  if (start > end) throw truncated(end);
  if (start + length + owed > end) throw tooLong(length, end - start - owed, start);
  return start + length;
}

/** Past an extension whose type byte is at `typeAt`; a nested type's data is checked as one value, a level deeper. */
function skipExt(b: Uint8Array, typeAt: number, length: number, end: number, owed: number, depth: number, bounds: Bounds): number {
  const dataEnd = skipData(typeAt + 1, length, end, owed);
  const type = ((b[typeAt] as number) << 24) >> 24;
  if (bounds.nestedExtTypes?.has(type) === true) {
    if (depth + 1 > bounds.maxDepth) throw tooDeep(bounds.maxDepth);
    checkExactly(b, typeAt + 1, dataEnd, depth + 1, bounds);
  }
  return dataEnd;
}

function truncated(at: number): ProtocolError {
  return new ProtocolError('ERR_TRUNCATED', `the value ends early, at offset ${at}`);
}

function tooLong(declared: number, left: number, at: number): ProtocolError {
  return new ProtocolError('ERR_LENGTH', `a length of ${declared} declared just before offset ${at} does not fit in the ${Math.max(0, left)} bytes left`);
}

function tooDeep(maxDepth: number): ProtocolError {
  return new ProtocolError('ERR_DEPTH', `the value nests deeper than ${maxDepth} levels`);
}
