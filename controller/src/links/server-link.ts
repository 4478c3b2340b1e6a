import { Dealer } from 'zeromq';
import { lstatSync } from 'node:fs';
import {
  curveClientOptions, DEFAULT_MAX_MESSAGE_BYTES, encodeMessage, onHandshakeFailure, PipeLinkEnd, pipeLinkPaths, receiveLimit, runMessageLoop, RuntimeWindow, SocketWriter, whyNotPrivate,
  type ChannelHandlers, type ChannelMessage, type ClusterKey, type ServerSpec,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import { ServerHealth } from '../servers/server-health.js';

/** How messages reach one server and come back: a DEALER, or the FIFOs of a pipe link (`spec.pipe`). */
interface ServerTransport {
  /** Starts receiving; `onRefused` hears each failed handshake (about the key), or a pipe link that cannot be used. */
  open(onRefused: (reason: string, aboutKey: boolean) => void): AsyncIterable<Buffer[]>;
  send(frames: Buffer[]): void;
  close(): void;
}

/** The controller's side of one worker server: its transport, the server's health, and how many tasks it should have in hand. */
export class ServerLink {
  private readonly transport: ServerTransport;
  private readonly window = new RuntimeWindow();
  readonly health = new ServerHealth();
  /** The last handshake failure reported for this server, if any. */
  refusal: string | undefined;
  private saidBye = false;

  constructor(
    readonly index: number,
    readonly spec: ServerSpec,
    routingId: string,
    key: ClusterKey | undefined,
    private readonly log: Logger,
    /** This client's weight: a heavier one keeps more tasks at the server, so its larger share of the executors never waits for our refills. */
    private readonly weight = 1,
  ) {
    this.transport = spec.pipe === undefined ? dealerTransport(spec.url, routingId, key, log) : pipeTransport(spec.pipe, routingId);
  }

  get url(): string {
    return this.spec.url;
  }

  /** Executors of this server that this client may keep busy. */
  get usable(): number {
    return Math.min(this.health.executors.length, this.spec.workers ?? Infinity);
  }

  /** Connects; `onRefused` hears each failed handshake (a key mismatch, or one side without a key). */
  start(handlers: ChannelHandlers<'serverToController'>, onRefused: (reason: string, aboutKey: boolean) => void): void {
    const log = this.log.child({ server: this.url });
    // Only a pipe link can break (a record that cannot be framed): the server then falls silent and is lost.
    runMessageLoop(this.transport.open(onRefused), handlers, { log }).catch((error: Error) => log.error({ err: error }, 'the pipe link to this server broke'));
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

  /** After 'bye' nothing more is sent: a ping answering the server's hand-back would make it take us for a new session. */
  send(message: ChannelMessage<'controllerToServer'>): void {
    if (this.saidBye) return;
    if (message.t === 'bye') this.saidBye = true;
    this.transport.send(encodeMessage(message));
  }

  close(): void {
    this.transport.close();
  }
}

/** A DEALER connected to the server's ROUTER, with CURVE when there is a key. */
function dealerTransport(url: string, routingId: string, key: ClusterKey | undefined, log: Logger): ServerTransport {
  const socket = new Dealer({ routingId, linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0, ...receiveLimit(), ...(key === undefined ? {} : curveClientOptions(key)) });
  const writer = new SocketWriter(socket, log);
  return {
    open(onRefused) {
      onHandshakeFailure(socket, (kind, reason) => onRefused(`ZeroMQ's handshake failed: ${kind}, ${reason}`, true));
      socket.connect(url);
      return socket;
    },
    send: (frames) => writer.send(frames),
    close: () => socket.close(),
  };
}

/**
 * The controller's end of a pipe link the server made in `dir` (sg-worker --pipe-link): no I/O thread, no
 * handshake. Used only if `dir` is a directory of ours that nobody else can enter, holding FIFOs of ours
 * (a spec could name any path); the first record names this controller by its routing id.
 */
function pipeTransport(dir: string, routingId: string): ServerTransport {
  const paths = pipeLinkPaths(dir);
  let end: PipeLinkEnd | undefined;
  return {
    open(onRefused) {
      const why = whyNotPrivate(dir) ?? [paths.toController, paths.toServer].map(whyNotOurFifo).find((reason) => reason !== undefined);
      if (why !== undefined) {
        onRefused(`the pipe link in ${dir} cannot be used (${why}); was the server started with --pipe-link ${dir}?`, false);
        return nothing();
      }
      end = new PipeLinkEnd(paths.toController, paths.toServer);
      end.send([Buffer.from(routingId)]);
      return end.frames(DEFAULT_MAX_MESSAGE_BYTES);
    },
    send: (frames) => end?.send(frames),
    close: () => end?.close(),
  };
}

// eslint-disable-next-line @typescript-eslint/no-empty-function
async function* nothing(): AsyncGenerator<Buffer[]> {}

/** Why `path` is not a FIFO of this user's, or undefined. */
function whyNotOurFifo(path: string): string | undefined {
  try {
    const stat = lstatSync(path);
    if (!stat.isFIFO()) return `${path} is not a FIFO`;
    return stat.uid === process.getuid?.() ? undefined : `${path} belongs to another user`;
  } catch (error) {
    return (error as Error).message;
  }
}
