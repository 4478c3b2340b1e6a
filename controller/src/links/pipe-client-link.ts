import { Socket } from 'node:net';
import { DEFAULT_MAX_MESSAGE_BYTES, encodeMessage, readPipeFrames, runMessageLoop, waitWritten, writePipeFrames, type ChannelHandlers, type ChannelMessage } from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import type { ClientLink } from './client-link.js';

/**
 * The controller's side of its one client over two pipes the client passed
 * when it spawned it: jobs in on one, results out on the other. Only the two
 * processes hold them; the kernel wakes the reader directly.
 */
export class PipeClientLink implements ClientLink {
  private readonly jobs: Socket;
  private readonly results: Socket;

  constructor(jobsFd: number, resultsFd: number, private readonly log: Logger) {
    this.jobs = new Socket({ fd: jobsFd, readable: true, writable: false });
    this.results = new Socket({ fd: resultsFd, readable: false, writable: true });
    // A client that is gone cannot be written to; its closed jobs pipe ends the loop, and the controller stops.
    for (const socket of [this.jobs, this.results]) socket.on('error', (error) => log.debug({ err: error }, 'the client link failed'));
  }

  /**
   * Nothing is dropped for its size (maxBytes: Infinity): the client cannot tell a dropped set or request from a
   * slow one. A record past the framing's limit ends the loop, and with it the controller, which the client hears.
   */
  start(handlers: ChannelHandlers<'clientToController'>): Promise<void> {
    return runMessageLoop(readPipeFrames(this.jobs, DEFAULT_MAX_MESSAGE_BYTES), handlers, { log: this.log, maxBytes: Infinity });
  }

  send(message: ChannelMessage<'controllerToClient'>): void {
    if (!this.results.destroyed) writePipeFrames(this.results, encodeMessage(message));
  }

  drain(timeoutMs: number): Promise<void> {
    return waitWritten(this.results, timeoutMs);
  }

  close(): void {
    this.jobs.destroy();
    this.results.end();
  }
}
