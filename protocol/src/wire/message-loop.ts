import { observeTaskBurst } from '../process/burst-optimization.js';
import { decodeMessage } from './envelope.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './receive-limit.js';
import type { Channel, ChannelType, Message, MessageType } from './messages.js';
import { DropLog, type WireLog } from './wire-log.js';

/** A handler per message type (of `T`, by default any); `from` is the sender's routing id on a ROUTER socket. */
export type MessageHandlers<T extends MessageType = MessageType> = { [K in T]?: (message: Message<K>, from: Buffer | undefined) => void | Promise<void> };
/** The handler table of a socket that receives `channel`: a handler for another channel's message does not compile. */
export type ChannelHandlers<C extends Channel> = MessageHandlers<ChannelType<C>>;

export interface MessageLoopOptions {
  /** The socket is a ROUTER: frame 0 is the sender's routing id. */
  routed?: boolean;
  log: WireLog;
  /** Messages larger than this many bytes are dropped unread (default DEFAULT_MAX_MESSAGE_BYTES; give the socket receiveLimit() of the same). */
  maxBytes?: number;
  /** Hears the size of every message read (for traffic counts). */
  onReceived?: (bytes: number) => void;
}

/**
 * Reads `socket` until it closes and hands each message to its handler. Nothing
 * a peer sends can end the loop: garbage, unknown types and throwing handlers
 * are dropped with a rate-limited log line.
 */
export async function runMessageLoop<T extends MessageType>(socket: AsyncIterable<Buffer[]>, handlers: MessageHandlers<T>, options: MessageLoopOptions): Promise<void> {
  const drops = new DropLog(options.log);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const onRejected = (error: unknown): void => drops.drop('a handler failed', { err: error });
  try {
    for await (const frames of socket) {
      const from = options.routed ? frames[0] : undefined;
      const body = options.routed ? frames.slice(1) : frames;
      const bytes = sizeOf(body);
      options.onReceived?.(bytes);
      if (bytes > maxBytes) {
        drops.drop('over the size limit', { maxBytes });
        continue;
      }
      const decoded = decodeMessage(body);
      if (!decoded.ok) {
        drops.drop(decoded.error.code, { err: decoded.error.message });
        continue;
      }
      observeTaskBurst(decoded.message);
      // Own entries only: the type names a handler, never something of Object.prototype; a message of another channel finds none.
      const type = decoded.message.t;
      const handler = Object.hasOwn(handlers, type) ? (handlers as MessageHandlers)[type] as ((m: Message, f: Buffer | undefined) => void | Promise<void>) : undefined;
      if (handler === undefined) {
        drops.drop('no handler for this message type here', { type });
        continue;
      }
      try {
        const done = handler(decoded.message, from);
        if (done !== undefined) done.catch(onRejected);
      } catch (error) {
        onRejected(error);
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'EAGAIN') throw error;
  }
}

function sizeOf(frames: readonly Buffer[]): number {
  let n = 0;
  for (const frame of frames) n += frame.byteLength;
  return n;
}
