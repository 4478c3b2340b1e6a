import { Router } from 'zeromq';
import {
  encodeMessage, receiveLimit, runMessageLoop,
  type ChannelHandlers, type ChannelMessage, type ChannelType, type Message,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import type { ExecutorHandle } from './executor-handle.js';

type FromExecutor = ChannelType<'executorToServer'>;
/** A handler per message an executor sends, given the executor it came from. */
export type ExecutorHandlers = { [K in FromExecutor]: (message: Message<K>, executor: ExecutorHandle) => void | Promise<void> };

/**
 * The pool's link with its executors. What they say comes over a ROUTER on an
 * ipc endpoint in the server's private directory (a message from one that is
 * not, or no longer, known is ignored); what the pool says to one goes down
 * its own task pipe, and its results come up its result pipe.
 */
export class ExecutorChannel {
  private readonly router = new Router({ linger: 0, ...receiveLimit() });

  constructor(
    readonly endpoint: string,
    private readonly log: Logger,
  ) {}

  async open(find: (routingId: string) => ExecutorHandle | undefined, handlers: ExecutorHandlers): Promise<void> {
    await this.router.bind(this.endpoint);
    type Handler = (message: Message, executor: ExecutorHandle) => void | Promise<void>;
    const routed: Record<string, (message: Message, from: Buffer | undefined) => void | Promise<void>> = {};
    for (const [type, handler] of Object.entries(handlers) as Array<[FromExecutor, Handler]>) {
      // The handler's promise goes back to the loop, which logs a rejection instead of letting it end the process.
      routed[type] = (message, from) => {
        const executor = from === undefined ? undefined : find(from.toString());
        return executor === undefined ? undefined : handler(message, executor);
      };
    }
    void runMessageLoop<FromExecutor>(this.router, routed as ChannelHandlers<'executorToServer'>, { routed: true, log: this.log });
  }

  send(executor: ExecutorHandle, message: ChannelMessage<'serverToExecutor'>): void {
    executor.send(encodeMessage(message));
  }

  close(): void {
    this.router.close();
  }
}
