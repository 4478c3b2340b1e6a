import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { openFifoSocket } from '@scattergather/protocol';
import { makeFifos } from '../result-pipe/make-fifo.js';

/**
 * One FIFO in the server's private directory that every executor writes a
 * byte to when it pauses (its queue ran dry, or it awaits a task's promise):
 * then its last results are in its pipe, waiting. The kernel wakes the
 * server's event loop directly, a hop cheaper than a ZeroMQ message through
 * two I/O threads, and the bytes say nothing: each ring reads every pipe.
 */
export class Doorbell {
  private readonly socket: Socket;

  constructor(readonly path: string, onRing: () => void) {
    makeFifos([path], 'the executors\' doorbell');
    // Opened before any executor exists, and never at end-of-file while executors come and go (see openFifoSocket).
    this.socket = openFifoSocket(path, 'read');
    this.socket.on('data', onRing);
  }

  close(): void {
    this.socket.destroy();
    rmSync(this.path, { force: true });
  }
}
