import { constants, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { writePipeFrames } from '@scattergather/protocol';

/**
 * The server's end of an executor's task pipe: a FIFO in the server's private
 * directory that carries every message to that executor. The kernel wakes the
 * executor directly, a hop cheaper than a ZeroMQ message through two I/O
 * threads. Writes never block: what the pipe cannot take yet waits in libuv.
 */
export class TaskPipeWriter {
  private readonly socket: Socket;

  constructor(readonly path: string) {
    // Read-write, so opening never waits for the executor and a write never meets a pipe without a reader.
    this.socket = new Socket({ fd: openSync(path, constants.O_RDWR), readable: false, writable: true });
    // Only our own FIFO could fail here; the executor's exit handles what it held.
    this.socket.on('error', () => undefined);
  }

  send(frames: readonly Buffer[]): void {
    writePipeFrames(this.socket, frames);
  }

  close(): void {
    this.socket.destroy();
    rmSync(this.path, { force: true });
  }
}
