import { Payload } from '../payload.js';
import { PayloadList } from '../payload-list.js';
import { decodePayloadList, encodePayloadList } from './payload-list-codec.js';

/**
 * How a Payload sits in an envelope: an extension whose type is its blob count
 * (0–99), its body as the data, so the body is copied once; a payload with more
 * blobs is type 100 with the count as a big-endian u32 before the body. A
 * PayloadList is type 101 (payload-list-codec.ts). The blobs themselves follow
 * the envelope as frames, in the order their payloads are met. The generic
 * codec (envelope.ts) and the shortcuts (envelope-*.ts) both go through here.
 */
const MAX_COUNT_IN_TYPE = 99;
const COUNTED_PAYLOAD_EXT = 100;
export const PAYLOAD_LIST_EXT = 101;

/** The extension for a Payload or PayloadList: its type and data; its blobs are pushed to `frames`. */
export function envelopeExtOf(value: Payload | PayloadList, frames: Uint8Array[]): { type: number; data: Uint8Array } {
  const blobs = value.blobs;
  // Indexed: runs for every task, and for-of is several times dearer before the JIT warms up.
  for (let i = 0; i < blobs.length; i++) frames.push(blobs[i] as Uint8Array);
  if (value instanceof PayloadList) return { type: PAYLOAD_LIST_EXT, data: encodePayloadList(value) };
  const count = blobs.length;
  if (count <= MAX_COUNT_IN_TYPE) return { type: count, data: value.body };
  const data = new Uint8Array(4 + value.body.byteLength);
  new DataView(data.buffer).setUint32(0, count);
  data.set(value.body, 4);
  return { type: COUNTED_PAYLOAD_EXT, data };
}

/**
 * The Payload (types 0–100) or PayloadList (101) an extension holds, its blobs
 * the frames from `next` on (it takes `value.blobs.length` of them); throws a
 * TypeError for another type or more blobs than frames.
 */
export function readEnvelopeExt(data: Uint8Array, extType: number, frames: readonly Uint8Array[], next: number): Payload | PayloadList {
  // A list's blobs are the frames from `next` on; not a copy of the rest per list (one message could hold 100,000 lists).
  if (extType === PAYLOAD_LIST_EXT) return decodePayloadList(data, frames, next);
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
