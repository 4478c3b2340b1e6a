import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { readPipeFrames, writePipeFrames } from './pipe-frames.js';

/** The FIFOs of a pipe link, in its directory: what the controller writes, and what the server writes. */
export function pipeLinkPaths(dir: string): { toServer: string; toController: string } {
  return { toServer: join(dir, 'to-server'), toController: join(dir, 'to-controller') };
}

/**
 * One end of a pipe link between a controller and a worker server on one
 * machine (two FIFOs the server made in a private directory): reads one,
 * writes the other. Both are opened read-write, so neither open waits for the
 * other side, and a side that goes away causes neither end-of-file nor EPIPE
 * here: heartbeats tell that, as they do over ZeroMQ.
 */
export class PipeLinkEnd {
  private readonly input: Socket;
  private readonly output: Socket;

  constructor(readPath: string, writePath: string) {
    this.input = new Socket({ fd: openSync(readPath, constants.O_RDWR), readable: true, writable: false });
    this.output = new Socket({ fd: openSync(writePath, constants.O_RDWR), readable: false, writable: true });
    // Only our own FIFOs could fail; what the other side misses, heartbeats and reconciliation find.
    for (const socket of [this.input, this.output]) socket.on('error', () => undefined);
  }

  /** Every message that arrives, as frames (what runMessageLoop takes). */
  frames(maxRecordBytes: number): AsyncGenerator<Buffer[]> {
    return readPipeFrames(this.input, maxRecordBytes);
  }

  send(frames: readonly Buffer[]): void {
    if (!this.output.destroyed) writePipeFrames(this.output, frames);
  }

  /** Bytes written but not yet taken by the pipe. */
  get pending(): number {
    return this.output.writableLength;
  }

  close(): void {
    this.input.destroy();
    this.output.destroy();
  }
}
