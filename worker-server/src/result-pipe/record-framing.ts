import { WorkerServerError } from '../errors.js';

/**
 * An executor's results travel to its server over a pipe of their own, as
 * records: u32 length of the rest, u32 frame count, then each frame as u32
 * length and bytes (little-endian). A record is one encoded message.
 */
const U32 = 4;

/** One record from a message's frames, ready for a single write. */
export function frameRecord(frames: readonly Uint8Array[]): Buffer {
  let size = 2 * U32;
  for (const frame of frames) size += U32 + frame.byteLength;
  const record = Buffer.allocUnsafe(size);
  record.writeUInt32LE(size - U32, 0);
  record.writeUInt32LE(frames.length, U32);
  let at = 2 * U32;
  for (const frame of frames) {
    record.writeUInt32LE(frame.byteLength, at);
    record.set(frame, at + U32);
    at += U32 + frame.byteLength;
  }
  return record;
}

/**
 * Cuts a byte stream back into records' frames. Bytes are copied only when a
 * record spans chunks. Anything inconsistent throws: the stream is then beyond
 * repair, and its writer is ended.
 */
export class RecordSplitter {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxRecordBytes: number) {}

  /** Bytes held that do not make a whole record yet. */
  get buffered(): number {
    return this.size;
  }

  /** The records that `chunk` completes, in order. */
  push(chunk: Buffer): Buffer[][] {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    const records: Buffer[][] = [];
    while (this.size >= U32) {
      const total = U32 + this.head(U32).readUInt32LE(0);
      if (total > this.maxRecordBytes) throw new WorkerServerError('ERR_RESULT_PIPE', `a record of ${total} bytes on an executor's result pipe is over the ${this.maxRecordBytes}-byte limit`);
      if (this.size < total) break;
      records.push(splitFrames(this.head(total).subarray(U32, total)));
      this.consume(total);
    }
    return records;
  }

  /** The first chunk, merged with those after it until it has at least `bytes` bytes. */
  private head(bytes: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.byteLength >= bytes) return first;
    const merged = Buffer.concat(this.chunks);
    this.chunks = [merged];
    return merged;
  }

  private consume(bytes: number): void {
    const first = this.chunks[0] as Buffer;
    if (first.byteLength === bytes) this.chunks.shift();
    else this.chunks[0] = first.subarray(bytes);
    this.size -= bytes;
  }
}

function splitFrames(body: Buffer): Buffer[] {
  const count = body.readUInt32LE(0);
  const frames: Buffer[] = [];
  let at = U32;
  for (let i = 0; i < count; i++) {
    if (at + U32 > body.byteLength) break;
    const length = body.readUInt32LE(at);
    if (at + U32 + length > body.byteLength) break;
    frames.push(body.subarray(at + U32, at + U32 + length));
    at += U32 + length;
  }
  if (frames.length !== count || at !== body.byteLength) throw new WorkerServerError('ERR_RESULT_PIPE', 'a malformed record on an executor\'s result pipe');
  return frames;
}
