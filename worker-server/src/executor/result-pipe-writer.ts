import { openSync, writeSync } from 'node:fs';
import { encodeMessage, type Message } from '@scattergather/protocol';
import { frameRecord } from '../result-pipe/record-framing.js';

/**
 * The executor's end of its result pipe (a FIFO the server made and reads).
 * `write` returns once the bytes are the kernel's: a task that then crashes,
 * spins or is killed cannot take them with it, and the server reads everything
 * written before it judges an executor's death. Blocks while the pipe is full.
 */
export class ResultPipeWriter {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(message: Message): void {
    const record = frameRecord(encodeMessage(message));
    let at = 0;
    while (at < record.byteLength) at += writeSync(this.fd, record, at);
  }
}
