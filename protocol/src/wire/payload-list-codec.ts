import { PayloadList } from '../payload-list.js';

/**
 * A PayloadList inside an envelope: u32 count, u32 1 if it lists blobs else 0,
 * count u32 body end offsets, then (if it lists blobs) count u32 blob end
 * offsets, then the bodies. Little-endian. Its blobs are frames of the message.
 */
const HEADER_BYTES = 8;

export function encodePayloadList(list: PayloadList): Uint8Array {
  const count = list.length;
  const offsets = list.blobEnds === undefined ? 1 : 2;
  const start = HEADER_BYTES + 4 * count * offsets;
  const data = new Uint8Array(start + list.bodies.byteLength);
  const view = new DataView(data.buffer);
  view.setUint32(0, count, true);
  view.setUint32(4, offsets - 1, true);
  for (let i = 0; i < count; i++) view.setUint32(HEADER_BYTES + 4 * i, list.ends[i] as number, true);
  const blobEnds = list.blobEnds;
  if (blobEnds !== undefined) for (let i = 0; i < count; i++) view.setUint32(HEADER_BYTES + 4 * (count + i), blobEnds[i] as number, true);
  data.set(list.bodies, start);
  return data;
}

/**
 * Reads a PayloadList whose blobs are the first of `frames`; throws a
 * TypeError unless every offset stays inside what the message holds.
 */
export function decodePayloadList(data: Uint8Array, frames: readonly Uint8Array[], first: number): PayloadList {
  if (data.byteLength < HEADER_BYTES) throw new TypeError('a payload list is shorter than its header');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(0, true);
  const flag = view.getUint32(4, true);
  if (flag > 1) throw new TypeError('a payload list has an unknown flag');
  const start = HEADER_BYTES + 4 * count * (flag + 1);
  if (start > data.byteLength) throw new TypeError(`a payload list of ${count} payloads is shorter than its offsets`);
  const bodies = data.subarray(start);
  const ends = readOffsets(view, HEADER_BYTES, count, bodies.byteLength, 'body');
  if ((ends[count - 1] ?? 0) !== bodies.byteLength) throw new TypeError('a payload list has bytes no payload claims');
  if (flag === 0) return new PayloadList(bodies, ends);
  const blobEnds = readOffsets(view, HEADER_BYTES + 4 * count, count, frames.length - first, 'blob');
  return new PayloadList(bodies, ends, frames.slice(first, first + (blobEnds[count - 1] ?? 0)), blobEnds);
}

/** `count` u32 offsets from `at`, each at least the one before and at most `limit`. */
function readOffsets(view: DataView, at: number, count: number, limit: number, what: string): Uint32Array {
  const offsets = new Uint32Array(count);
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(at + 4 * i, true);
    if (offset < previous || offset > limit) throw new TypeError(`a payload list's ${what} offsets run backwards or past the end`);
    offsets[i] = offset;
    previous = offset;
  }
  return offsets;
}
