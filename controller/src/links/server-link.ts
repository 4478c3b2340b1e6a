import { Dealer } from 'zeromq';
import {
  curveClientOptions, encodeMessage, receiveLimit, runMessageLoop, RuntimeWindow, SocketWriter,
  type ChannelHandlers, type ChannelMessage, type ClusterKey, type ServerSpec,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import { ServerHealth } from '../servers/server-health.js';

/** The controller's side of one worker server: a DEALER, the server's health, and how many tasks it should have in hand. */
export class ServerLink {
  private readonly socket: Dealer;
  private readonly writer: SocketWriter;
  private readonly window = new RuntimeWindow();
  readonly health = new ServerHealth();
  /** The last handshake failure reported for this server, if any. */
  refusal: string | undefined;

  constructor(
    readonly index: number,
    readonly spec: ServerSpec,
    routingId: string,
    key: ClusterKey | undefined,
    private readonly log: Logger,
    /** This client's weight: a heavier one keeps more tasks at the server, so its larger share of the executors never waits for our refills. */
    private readonly weight = 1,
  ) {
    this.socket = new Dealer({ routingId, linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0, ...receiveLimit(), ...(key === undefined ? {} : curveClientOptions(key)) });
    this.writer = new SocketWriter(this.socket, log);
  }

  get url(): string {
    return this.spec.url;
  }

  /** Executors of this server that this client may keep busy. */
  get usable(): number {
    return Math.min(this.health.executors.length, this.spec.workers ?? Infinity);
  }

  /** Connects; `onRefused` hears each failed handshake (a key mismatch, or one side without a key). */
  start(handlers: ChannelHandlers<'serverToController'>, onRefused: (reason: string) => void): void {
    for (const type of ['handshake:error:auth', 'handshake:error:protocol', 'handshake:error:other'] as const) {
      this.socket.events.on(type, (event) => onRefused(`${type.slice('handshake:error:'.length)}: ${event.error.message}`));
    }
    this.socket.connect(this.spec.url);
    void runMessageLoop(this.socket, handlers, { log: this.log.child({ server: this.url }) });
  }

  /**
   * How many tasks this server should have in hand now (0 unless it accepts tasks): its executors' windows twice
   * over (one at the executors, one queued at the server, which hands it on the moment an executor empties while
   * our refill is on its way), and a spare each while tasks are short.
   */
  capacity(): number {
    return this.health.accepting ? Math.ceil(this.usable * (2 * this.window.window() + this.window.spare()) * Math.max(1, this.weight)) : 0;
  }

  observeRuntime(ms: number): void {
    this.window.observe(ms);
  }

  send(message: ChannelMessage<'controllerToServer'>): void {
    this.writer.send(encodeMessage(message));
  }

  close(): void {
    this.socket.close();
  }
}
