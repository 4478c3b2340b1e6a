import { Pull, Push } from 'zeromq';
import { encodeMessage, receiveLimit, runMessageLoop, SocketWriter, type ChannelHandlers, type ChannelMessage } from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import type { ClientLink } from './client-link.js';

/** The controller's side of its one client over ZeroMQ: jobs in on a PULL, results out on a PUSH, both in the client's private ipc:// directory. */
export class ZmqClientLink implements ClientLink {
  private readonly jobs = new Pull({ linger: 0, ...receiveLimit() });
  private readonly results = new Push({ linger: 1000, sendHighWaterMark: 0 });
  private readonly writer: SocketWriter;

  constructor(
    private readonly jobsUrl: string,
    private readonly resultsUrl: string,
    private readonly log: Logger,
  ) {
    this.writer = new SocketWriter(this.results, log);
  }

  start(handlers: ChannelHandlers<'clientToController'>): Promise<void> {
    this.jobs.connect(this.jobsUrl);
    this.results.connect(this.resultsUrl);
    return runMessageLoop(this.jobs, handlers, { log: this.log });
  }

  send(message: ChannelMessage<'controllerToClient'>): void {
    this.writer.send(encodeMessage(message));
  }

  drain(timeoutMs: number): Promise<void> {
    return this.writer.drain(timeoutMs);
  }

  close(): void {
    this.jobs.close();
    this.results.close();
  }
}
