import { Dealer } from 'zeromq';
import { curveClientOptions, encodeMessage, receiveLimit, runMessageLoop, RuntimeWindow, SocketWriter, type ClusterKey, type ExecutorInfo, type Message, type MessageHandlers, type ServerSpec } from '@scattergather/protocol';
import type { Logger } from '../logger.js';

/** The controller's side of one worker server: a DEALER, what the server has, and what it holds of ours. */
export class ServerLink {
  private readonly socket: Dealer;
  private readonly writer: SocketWriter;
  private readonly window = new RuntimeWindow();
  alive = false;
  answered = false;
  /** The server said it stops soon (its walltime is near): it gets no new tasks. */
  draining = false;
  executors: ExecutorInfo[] = [];
  instance: string | undefined;
  lastHeard = 0;
  /** The last handshake failure reported for this server, if any. */
  refusal: string | undefined;
  /** Ids of our tasks this server holds. */
  readonly inFlight = new Set<number>();

  constructor(
    readonly index: number,
    readonly spec: ServerSpec,
    routingId: string,
    key: ClusterKey | undefined,
    private readonly log: Logger,
  ) {
    this.socket = new Dealer({ routingId, linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0, ...receiveLimit(), ...(key === undefined ? {} : curveClientOptions(key)) });
    this.writer = new SocketWriter(this.socket, log);
  }

  get url(): string {
    return this.spec.url;
  }

  /** Executors of this server that this client may keep busy. */
  get usable(): number {
    return Math.min(this.executors.length, this.spec.workers ?? Infinity);
  }

  /** Connects; `onRefused` hears each failed handshake (a key mismatch, or one side without a key). */
  start(handlers: MessageHandlers, onRefused: (reason: string) => void): void {
    for (const type of ['handshake:error:auth', 'handshake:error:protocol', 'handshake:error:other'] as const) {
      this.socket.events.on(type, (event) => onRefused(`${type.slice('handshake:error:'.length)}: ${event.error.message}`));
    }
    this.socket.connect(this.spec.url);
    void runMessageLoop(this.socket, handlers, { log: this.log.child({ server: this.url }) });
  }

  /** Tasks this server may still be given now: its executors' windows, and a spare each while tasks are short. */
  room(): number {
    return this.alive && !this.draining ? Math.max(0, this.usable * (this.window.window() + this.window.spare()) - this.inFlight.size) : 0;
  }

  observeRuntime(ms: number): void {
    this.window.observe(ms);
  }

  send(message: Message): void {
    this.writer.send(encodeMessage(message));
  }

  close(): void {
    this.socket.close();
  }
}
