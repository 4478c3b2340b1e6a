import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
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
  /** Our own writer: the read end never sees end-of-file while executors come and go. */
  private readonly keepOpen: number;

  constructor(readonly path: string, onRing: () => void) {
    makeFifos([path], 'the executors\' doorbell');
    // Opened before any executor exists: a non-blocking reader never waits for a writer.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.keepOpen = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.socket = new Socket({ fd, readable: true, writable: false });
    this.socket.on('data', onRing);
    // A read error on our own FIFO would mean the server is broken anyway; the timed reads still deliver every result.
    this.socket.on('error', () => undefined);
  }

  close(): void {
    this.socket.destroy();
    closeSync(this.keepOpen);
    rmSync(this.path, { force: true });
  }
}
