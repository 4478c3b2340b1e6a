import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { readPipeFrames, writePipeFrames } from './pipe-frames.js';

/** The FIFOs of a pipe link, in its directory: what the controller writes, and what the server writes. */
export function pipeLinkPaths(dir: string): { toServer: string; toController: string } {
  return { toServer: join(dir, 'to-server'), toController: join(dir, 'to-controller') };
}

/**
 * A FIFO as a socket that only reads or only writes, opened read-write: the
 * open never waits for the other side, a reader never sees end-of-file and a
 * writer never EPIPE when the other side goes (heartbeats, exits or timed
 * reads tell that). Errors, which only our own FIFO could raise, are ignored.
 */
export function openFifoSocket(path: string, use: 'read' | 'write'): Socket {
  const socket = new Socket({ fd: openSync(path, constants.O_RDWR), readable: use === 'read', writable: use === 'write' });
  socket.on('error', () => undefined);
  return socket;
}

/** Resolves once everything written to `socket` has left for the pipe (or it is destroyed), or after `timeoutMs`. */
export async function waitWritten(socket: Socket, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (socket.writableLength > 0 && !socket.destroyed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * One end of a pipe link between a controller and a worker server on one
 * machine (two FIFOs the server made in a private directory): reads one,
 * writes the other (see openFifoSocket): a side that goes away is told by
 * heartbeats, as over ZeroMQ.
 */
export class PipeLinkEnd {
  private readonly input: Socket;
  private readonly output: Socket;

  constructor(readPath: string, writePath: string) {
    this.input = openFifoSocket(readPath, 'read');
    this.output = openFifoSocket(writePath, 'write');
  }

  /** Every message that arrives, as frames (what runMessageLoop takes). */
  frames(maxMessageBytes: number): AsyncGenerator<Buffer[]> {
    return readPipeFrames(this.input, maxMessageBytes);
  }

  send(frames: readonly Buffer[]): void {
    if (!this.output.destroyed) writePipeFrames(this.output, frames);
  }

  /** Resolves once what was sent has left for the pipe, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    return waitWritten(this.output, timeoutMs);
  }

  close(): void {
    this.input.destroy();
    this.output.destroy();
  }
}
