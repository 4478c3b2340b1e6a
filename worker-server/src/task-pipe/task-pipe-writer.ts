import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { openFifoSocket, writePipeFrames } from '@scattergather/protocol';

/**
 * The server's end of an executor's task pipe: a FIFO in the server's private
 * directory that carries every message to that executor. The kernel wakes the
 * executor directly, a hop cheaper than a ZeroMQ message through two I/O
 * threads. Writes never block: what the pipe cannot take yet waits in libuv.
 */
export class TaskPipeWriter {
  private readonly socket: Socket;

  constructor(readonly path: string) {
    // Opening never waits for the executor, and a write never meets a pipe without a reader: its exit handles what it held.
    this.socket = openFifoSocket(path, 'write');
  }

  send(frames: readonly Buffer[]): void {
    writePipeFrames(this.socket, frames);
  }

  close(): void {
    this.socket.destroy();
    rmSync(this.path, { force: true });
  }
}
