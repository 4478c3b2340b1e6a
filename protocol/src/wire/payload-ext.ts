import { Payload } from '../payload.js';

/**
 * How a Payload sits in an envelope: an extension whose type is its blob count
 * (0–99), its body as the data, so the body is copied once; a payload with more
 * blobs is type 100 with the count as a big-endian u32 before the body. A
 * PayloadList is type 101 (payload-list-codec.ts). The blobs themselves follow
 * the envelope as frames, in the order their payloads are met.
 */
export const MAX_COUNT_IN_TYPE = 99;
export const COUNTED_PAYLOAD_EXT = 100;
export const PAYLOAD_LIST_EXT = 101;

/**
 * The Payload held by an extension of type `extType` (0–100) with data `data`,
 * its blobs the frames from `next` on (it takes `payload.blobs.length` of
 * them); throws a TypeError for a type out of range or more blobs than frames.
 */
export function readPayloadExt(data: Uint8Array, extType: number, frames: readonly Uint8Array[], next: number): Payload {
  let count = extType;
  let body = data;
  if (extType === COUNTED_PAYLOAD_EXT && data.byteLength >= 4) {
    count = new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
    body = data.subarray(4);
  } else if (extType < 0 || extType > MAX_COUNT_IN_TYPE) {
    throw new TypeError(`unexpected extension ${extType} in an envelope`);
  }
  if (next + count > frames.length) throw new TypeError('a payload names more blobs than the message has frames');
  return count === 0 ? new Payload(body) : new Payload(body, frames.slice(next, next + count));
}
