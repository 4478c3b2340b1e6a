import { closeSync, constants, openSync, readSync, rmSync } from 'node:fs';
import { RecordSplitter } from '@scattergather/protocol';

const CHUNK_BYTES = 256 * 1024;
const chunk = Buffer.allocUnsafe(CHUNK_BYTES);

/**
 * The server's end of an executor's result pipe: a FIFO in the server's
 * private directory, read without blocking whenever the server chooses (never
 * woken per result, so writing one costs the executor about a memcpy; see Doorbell). After
 * the executor exits, one read gets everything it wrote.
 */
export class ResultPipeReader {
  private readonly fd: number;
  private readonly splitter: RecordSplitter;

  constructor(readonly path: string, maxRecordBytes: number) {
    // Opened before the executor exists: a non-blocking reader never waits for a writer.
    this.fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.splitter = new RecordSplitter(maxRecordBytes);
  }

  /** A record is partly read: the rest is being written now, so read again soon. */
  get partial(): boolean {
    return this.splitter.buffered > 0;
  }

  /** Every complete record written so far; throws if the stream is corrupt. */
  read(): Buffer[] {
    const records: Buffer[] = [];
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, chunk, 0, CHUNK_BYTES, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw error;
      }
      if (n === 0) break;
      // Copied out of the shared chunk: records keep views into it.
      for (const record of this.splitter.push(Buffer.from(chunk.subarray(0, n)))) records.push(record);
      // A short read emptied the pipe: stop without the EAGAIN read, whose thrown error costs more than a small result.
      // Bytes written after it are read next time (the writer rings the doorbell when it pauses, and reads recur while it works).
      if (n < CHUNK_BYTES) break;
    }
    return records;
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}
