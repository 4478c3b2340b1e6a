import { ProtocolError } from '../errors.js';

/**
 * Where processes on one machine talk over pipes instead of ZeroMQ (a client
 * and its own controller, a worker server and its executors), what they send
 * goes as records: u32 length of the rest, then the record (little-endian).
 * A byte stream needs framing; this cuts it back into records.
 */
const U32 = 4;

/** The length prefix for a record of `bytes` bytes. */
export function recordLength(bytes: number): Buffer {
  const prefix = Buffer.allocUnsafe(U32);
  prefix.writeUInt32LE(bytes, 0);
  return prefix;
}

/**
 * Cuts a byte stream back into records. Bytes are copied only when a record
 * spans chunks. A record over the limit throws: the stream is then beyond
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
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    const records: Buffer[] = [];
    while (this.size >= U32) {
      const total = U32 + this.head(U32).readUInt32LE(0);
      if (total > this.maxRecordBytes) throw new ProtocolError('ERR_PIPE_RECORD', `a record of ${total} bytes on a pipe is over the ${this.maxRecordBytes}-byte limit`);
      if (this.size < total) break;
      records.push(this.head(total).subarray(U32, total));
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
