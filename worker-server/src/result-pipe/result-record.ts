import { Payload, recordLength, type ResultItem } from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';

/**
 * One result as a record on the result pipe, in a fixed binary layout that
 * costs a few stores to write (MessagePack framing per result cost more than
 * the tasks it carries): f64 id, u8 ok, f64 ms, u32 pid, u32 + utf8 output,
 * u32 + value body, u32 blob count, then u32 + bytes per blob.
 */
const FIXED = 8 + 1 + 8 + 4 + 4 + 4 + 4;

/** A record's length is a u32. */
const MAX_RECORD_BYTES = 2 ** 32 - 1;

/**
 * The buffers to write for one result (its length prefix first); blobs are written from where they are, not copied.
 * Throws WorkerServerError('ERR_RESULT_TOO_LARGE') for a record over `maxBytes`, before anything is allocated for it.
 */
export function encodeResultRecord(item: ResultItem, maxBytes = MAX_RECORD_BYTES): Buffer[] {
  // Indexed, not destructured: destructuring runs the iterator protocol, ~10× dearer per result before the JIT warms up.
  const id = item[0], ok = item[1], value = item[2], ms = item[3], pid = item[4], output = item[5];
  const outputBytes = output === '' ? 0 : Buffer.byteLength(output);
  const blobs = value.blobs;
  let total = FIXED + outputBytes + value.body.byteLength;
  for (const blob of blobs) total += 4 + blob.byteLength;
  // The reader counts the length prefix too (RecordSplitter); the prefix itself holds at most a u32.
  const limit = Math.min(maxBytes - 4, MAX_RECORD_BYTES);
  if (total > limit) {
    throw new WorkerServerError('ERR_RESULT_TOO_LARGE', `the result is ${total} bytes encoded, more than its worker server takes (${limit}; sg-worker --max-message-bytes): return less, or split the work over more tasks`);
  }
  const head = Buffer.allocUnsafe(FIXED + outputBytes + value.body.byteLength);
  let at = head.writeDoubleLE(id, 0);
  at = head.writeUInt8(ok ? 1 : 0, at);
  at = head.writeDoubleLE(ms, at);
  at = head.writeUInt32LE(pid, at);
  at = head.writeUInt32LE(outputBytes, at);
  if (outputBytes > 0) at += head.write(output, at, 'utf8');
  at = head.writeUInt32LE(value.body.byteLength, at);
  head.set(value.body, at);
  at = head.writeUInt32LE(blobs.length, at + value.body.byteLength);
  const buffers: Buffer[] = [recordLength(total), head];
  for (const blob of blobs) buffers.push(recordLength(blob.byteLength), Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
  return buffers;
}

/** The result a record holds; its body and blobs are views into `record`. Throws on a malformed record. */
export function decodeResultRecord(record: Buffer): ResultItem {
  try {
    const id = record.readDoubleLE(0);
    const ok = record.readUInt8(8) === 1;
    const ms = record.readDoubleLE(9);
    const pid = record.readUInt32LE(17);
    let at = 21;
    const outputBytes = record.readUInt32LE(at);
    const output = outputBytes === 0 ? '' : record.toString('utf8', at + 4, at + 4 + outputBytes);
    at += 4 + outputBytes;
    const bodyBytes = record.readUInt32LE(at);
    const body = slice(record, at + 4, bodyBytes);
    at += 4 + bodyBytes;
    const blobs: Uint8Array[] = [];
    for (let count = record.readUInt32LE(at), i = 0; i < count; i++) {
      const length = record.readUInt32LE(at + 4);
      blobs.push(slice(record, at + 8, length));
      at += 4 + length;
    }
    if (at + 4 !== record.byteLength) throw new RangeError(`${record.byteLength - at - 4} bytes left over`);
    return [id, ok, new Payload(body, blobs), ms, pid, output];
  } catch (cause) {
    throw new WorkerServerError('ERR_RESULT_PIPE', 'a malformed record on an executor\'s result pipe', { cause });
  }
}

function slice(record: Buffer, start: number, length: number): Buffer {
  if (start + length > record.byteLength) throw new RangeError('a length past the end of the record');
  return record.subarray(start, start + length);
}
