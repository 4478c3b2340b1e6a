import { ProtocolError } from '../errors.js';
import { recordLength } from './record-framing.js';

const U32 = 4;

/**
 * A message's frames (as encodeMessage makes them) as one record on a pipe:
 * each frame as u32 length + bytes, after the record's own length
 * prefix (see RecordSplitter). Frames are written from where they are.
 */
export function encodeMessageRecord(frames: readonly Buffer[]): Buffer[] {
  const buffers: Buffer[] = [];
  let size = 0;
  for (const frame of frames) {
    buffers.push(recordLength(frame.byteLength), frame);
    size += U32 + frame.byteLength;
  }
  return [recordLength(size), ...buffers];
}

/** The frames of a record; views into it. Throws on a malformed record. */
export function decodeMessageRecord(record: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < record.byteLength) {
    if (at + U32 > record.byteLength) throw new ProtocolError('ERR_PIPE_RECORD', 'a frame length is cut off in a pipe record');
    const end = at + U32 + record.readUInt32LE(at);
    if (end > record.byteLength) throw new ProtocolError('ERR_PIPE_RECORD', 'a frame runs past the end of its pipe record');
    frames.push(record.subarray(at + U32, end));
    at = end;
  }
  return frames;
}
