import { openSync, writevSync } from 'node:fs';
import type { ResultItem } from '@scattergather/protocol';
import { encodeResultRecord } from '../result-pipe/result-record.js';

/**
 * The executor's end of its result pipe (a FIFO the server made and reads).
 * `write` returns once the bytes are the kernel's: a task that then crashes,
 * spins or is killed cannot take them with it, and the server reads everything
 * written before it judges an executor's death. Blocks while the pipe is full.
 */
export class ResultPipeWriter {
  private readonly fd: number;

  constructor(
    path: string,
    /** The largest record its server reads (its --max-message-bytes): a larger result throws ERR_RESULT_TOO_LARGE, unwritten. */
    private readonly maxRecordBytes: number,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(result: ResultItem): void {
    let buffers = encodeResultRecord(result, this.maxRecordBytes);
    let left = buffers.reduce((n, b) => n + b.byteLength, 0);
    for (;;) {
      const written = writevSync(this.fd, buffers);
      left -= written;
      if (left === 0) return;
      buffers = skip(buffers, written);
    }
  }
}

/** `buffers` without their first `bytes` bytes (what a short write already wrote). */
function skip(buffers: Buffer[], bytes: number): Buffer[] {
  let rest = bytes;
  const left: Buffer[] = [];
  for (const buffer of buffers) {
    if (rest >= buffer.byteLength) rest -= buffer.byteLength;
    else {
      left.push(rest > 0 ? buffer.subarray(rest) : buffer);
      rest = 0;
    }
  }
  return left;
}
