import { randomUUID } from 'node:crypto';
import { Router } from 'zeromq';
import {
  curveServerOptions, DEFAULT_MAX_MESSAGE_BYTES, encodeMessage, errorStateOf, receiveLimit, runMessageLoop, SocketWriter,
  type ChannelHandlers, type ChannelMessage, type ChannelType, type ClusterKey, type FnRef, type TaskItem,
} from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';
import { scopeOf } from './controller-sessions.js';
import { keptHandlers, submitRun, type KeptHost } from '../kept/kept-handlers.js';
import { KeptRuns } from '../kept/kept-runs.js';
import { DEFAULT_KEEP_BYTES, DEFAULT_SPILL_BYTES, KeptStore } from '../kept/kept-store.js';
import { PeerFetcher } from '../kept/peer-fetcher.js';
import type { Logger } from '../logger.js';
import { checkBindAddress } from './bind-address.js';
import { ControllerPipeLink } from './controller-pipe-link.js';
import { advertisedUrl } from './advertised-url.js';
import { ExecutorPool } from './executor-pool.js';
import { logHandshakeFailures } from './handshake-log.js';
import { ZapHandler } from './zap-handler.js';

export interface WorkerServerOptions {
  /** tcp://HOST:PORT to listen on; port 0 picks a free one. */
  bind: string;
  /** Executors to fork. */
  procs: number;
  log: Logger;
  /** The cluster key: when given, traffic is encrypted and only controllers holding the key are obeyed. */
  key?: ClusterKey;
  /** Messages larger than this are dropped unread (default 2 GiB). */
  maxMessageBytes?: number;
  /** Heap limit of each executor, in MiB (default: node's). */
  executorMemoryMb?: number;
  /** How long a module may take to load on an executor unless its install says (default 30 s). */
  installTimeoutMs?: number;
  /** The host controllers are told to use (default: the bound one, or this machine's name for a wildcard bind). */
  advertise?: string;
  /** Bytes of kept values held in memory (default 1 GiB), then spilled to local disk up to `spillBytes` (default 16 GiB). */
  keepBytes?: number;
  spillBytes?: number;
  /** A private directory to make a FIFO pair in for one controller on this machine (see ControllerPipeLink). */
  pipeLink?: string;
}

/** How long a fetch of inputs from another worker server may take. */
const PEER_FETCH_TIMEOUT_MS = 60_000;

const ZAP_DOMAIN = 'scattergather';

/** Messages queued per controller before a send waits; each may carry many results. */
const SEND_HIGH_WATER_MARK = 100_000;

/**
 * The worker server's parent process: it listens for controllers, keeps the
 * executor pool, and routes tasks and results between them. It never runs task
 * code itself, so it always answers.
 */
export class WorkerServer implements KeptHost {
  private readonly router: Router;
  private readonly zap: ZapHandler | undefined;
  private readonly writer: SocketWriter;
  private readonly pool: ExecutorPool;
  readonly store: KeptStore;
  readonly runs: KeptRuns;
  private readonly peers: PeerFetcher;
  private pipeLink: ControllerPipeLink | undefined;
  private stopped = false;
  private draining = false;
  private readonly instance = randomUUID();
  /** The address controllers are to use: the one bound (port 0 resolved), as advertised. */
  url = '';

  constructor(private readonly options: WorkerServerOptions) {
    const { key } = options;
    // mandatory: a reply to a controller that is gone fails (and is logged) instead of vanishing; past the
    // high-water mark a send waits for room (the single writer queues behind it) instead of being dropped.
    this.router = new Router({
      linger: 2000, handover: true, mandatory: true, sendHighWaterMark: SEND_HIGH_WATER_MARK,
      ...receiveLimit(this.maxMessageBytes), ...(key === undefined ? {} : curveServerOptions(key, ZAP_DOMAIN)),
    });
    this.zap = key === undefined ? undefined : new ZapHandler(key, options.log);
    this.writer = new SocketWriter(this.router, options.log);
    logHandshakeFailures(this.router, options.log);
    this.store = new KeptStore(
      { memoryBytes: options.keepBytes ?? DEFAULT_KEEP_BYTES, diskBytes: options.spillBytes ?? DEFAULT_SPILL_BYTES },
      (error) => options.log.error({ err: error }, 'could not spill kept values to disk, or read one back'),
      (keys) => this.pool.dropValues(keys),
    );
    this.peers = new PeerFetcher(key, PEER_FETCH_TIMEOUT_MS, options.log);
    this.runs = new KeptRuns(this.store, this.peers, options.log);
    this.pool = new ExecutorPool({
      size: options.procs, maxMemoryMb: options.executorMemoryMb, maxResultBytes: this.maxMessageBytes, installTimeoutMs: options.installTimeoutMs,
    }, {
      kept: (keys) => Promise.all(keys.map(async (key) => (typeof key === 'string' ? (await this.store.getKey(key)) ?? null : null))),
      results: (owner, results) => this.sendTo(owner, { t: 'done', results: this.runs.keepResults(scopeOf(owner), results) }),
      output: (owner, items) => this.sendTo(owner, { t: 'output', items }),
      lost: (owner, ids, reason, pid) => {
        this.runs.forgetTasks(scopeOf(owner), ids);
        this.sendTo(owner, { t: 'lost', ids, reason, pid });
      },
      returned: (owner, ids) => this.handBack(owner, ids),
      forgotten: (owner) => {
        const waiting = this.runs.forgetOwner(scopeOf(owner));
        if (waiting.length > 0) this.handBack(owner, waiting);
        this.store.dropOwner(scopeOf(owner));
      },
    }, options.log);
  }

  private get maxMessageBytes(): number {
    return this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  get executors(): number {
    return this.options.procs;
  }

  async start(): Promise<string> {
    checkBindAddress(this.options.bind, this.options.key !== undefined);
    await this.zap?.start();
    try {
      await this.router.bind(this.options.bind);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      // ZeroMQ binds an address or interface of this machine; a host name it cannot use fails with ENODEV or EINVAL, a taken port with EADDRINUSE.
      const hint = code === 'EADDRINUSE' ? 'Is another sg-worker using that port? Pick another with --bind, or port 0 for a free one'
        : 'Bind an address of this machine (127.0.0.1, 0.0.0.0 for every interface, or an interface\'s IP), not a host name; give the name other machines use with --advertise';
      throw new WorkerServerError('ERR_BIND', `cannot listen on ${this.options.bind}: ${(cause as Error).message}. ${hint}`, { cause });
    }
    this.url = advertisedUrl(this.router.lastEndpoint ?? this.options.bind, this.options.advertise);
    await this.pool.start();
    const handlers = this.controllerHandlers();
    void runMessageLoop<ChannelType<'controllerToServer'>>(this.router, handlers, { routed: true, log: this.options.log, maxBytes: this.maxMessageBytes });
    if (this.options.pipeLink !== undefined) {
      const link = new ControllerPipeLink(this.options.pipeLink);
      this.pipeLink = link;
      runMessageLoop(link.messages(this.maxMessageBytes), fromLink(handlers, link), { log: this.options.log, maxBytes: this.maxMessageBytes })
        .catch((error: Error) => this.options.log.error({ err: error }, 'the controller pipe link broke (a record too large, or the controller misspoke); it serves no more'));
    }
    this.options.log.info({ url: this.url, executors: this.options.procs, encrypted: this.zap !== undefined, pipeLink: this.options.pipeLink }, 'listening');
    return this.url;
  }

  /** What a controller can ask of this server, over the ROUTER or the pipe link; `from` is its routing id. */
  private controllerHandlers(): ChannelHandlers<'controllerToServer'> {
    return {
      ping: ({ req, heartbeatMs, weight }, from) => {
        this.pool.heard(from as Buffer, typeof heartbeatMs === 'number' ? heartbeatMs : undefined, typeof weight === 'number' ? weight : undefined);
        // `held` comes after every result made so far is queued to send, on this one socket: it never overtakes them.
        // The instance names this controller's session too: one that was forgotten for silence sees it change, as after a
        // restart (what controllers before `processId` go by); `processId` tells them apart.
        const instance = `${this.instance}.${this.pool.sessionOf(from as Buffer)}`;
        this.sendTo(from, { t: 'pong', req, executors: this.pool.describe(from as Buffer), instance, processId: this.instance, held: [...this.pool.held(from as Buffer), ...this.runs.waitingFor(scopeOf(from as Buffer))], ...(this.draining ? { draining: true } : {}) });
      },
      run: (message, from) => {
        // A draining or stopping server runs nothing new: the tasks go straight back to be run elsewhere (a
        // controller that sent them before it heard so would otherwise count them lost once this one is gone).
        if (this.draining) this.handBack(from as Buffer, message.tasks.filter(Array.isArray).map(([id]) => id));
        else submitRun(this, from as Buffer, message);
      },
      ...keptHandlers(this),
      install: ({ req, name, code, timeoutMs }, from) => this.pool.install(from as Buffer, name, code, timeoutMs).then(
        (names) => this.sendTo(from, { t: 'installed', req, names }),
        (error: Error) => this.sendTo(from, { t: 'installed', req, error: errorStateOf(error) }),
      ),
      refresh: ({ req }, from) => this.pool.refresh().then(
        (executors) => this.sendTo(from, { t: 'refreshed', req, executors }),
        (error: Error) => {
          this.options.log.error({ err: error }, 'refresh failed');
          this.sendTo(from, { t: 'refreshed', req, executors: this.pool.info(), error: errorStateOf(error) });
        },
      ),
      cancel: ({ ids }, from) => this.pool.cancel(from as Buffer, ids),
      // Its tasks (waiting for kept inputs too), modules and kept values go, as when it goes silent (see 'forgotten').
      bye: (_message, from) => this.pool.dropOwner(from as Buffer),
    };
  }

  /** True once draining and every task held has finished. */
  get idle(): boolean {
    return this.draining && this.pool.heldCount === 0;
  }

  /**
   * Stops taking tasks ahead of a hard end (a batch job's walltime): queued
   * tasks go back to their controllers now, running ones may still finish.
   */
  drain(): void {
    if (this.draining || this.stopped) return;
    this.stopTaking();
    this.options.log.info('draining: queued tasks handed back, taking no new ones');
  }

  /** Hands every unfinished task back to its controller, stops the executors and closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopTaking();
    this.stopped = true;
    // Results written until the executors died go first, then what is handed back.
    for (const [owner, ids] of await this.pool.close()) this.handBack(owner, ids);
    await Promise.all([this.writer.drain(1000), this.pipeLink?.close(1000)]);
    this.peers.close();
    this.store.close();
    this.router.close();
    this.zap?.close();
  }

  /**
   * Takes no new tasks from now on and tells every controller at once, handing back what is queued: told
   * before its executors stop, a controller sends nothing more that could arrive after this server is gone.
   */
  private stopTaking(): void {
    if (this.draining) return;
    this.draining = true;
    for (const [owner, ids] of this.pool.handBackQueued()) this.handBack(owner, ids);
  }

  /** Tasks of `owner` back to it, unrun or cut off, saying whether this server still takes tasks. */
  handBack(owner: Buffer, ids: number[]): void {
    this.runs.forgetTasks(scopeOf(owner), ids);
    this.sendTo(owner, { t: 'returned', ids, ...(this.draining ? { draining: true } : {}) });
  }

  get log(): Logger {
    return this.options.log;
  }

  get accepting(): boolean {
    return !this.draining;
  }

  submit(from: Buffer, fns: FnRef[], tasks: TaskItem[]): void {
    this.pool.submit(from, fns, tasks);
  }

  sendTo(owner: Buffer | undefined, message: ChannelMessage<'serverToController'>): void {
    if (owner === undefined) return;
    if (this.pipeLink?.isFrom(owner) === true) this.pipeLink.send(encodeMessage(message));
    else this.writer.send([owner, ...encodeMessage(message)]);
  }
}

/** `handlers` for the messages of a pipe link: each is given the controller the link serves as its sender. */
function fromLink(handlers: ChannelHandlers<'controllerToServer'>, link: ControllerPipeLink): ChannelHandlers<'controllerToServer'> {
  const bound: Record<string, (message: never) => unknown> = {};
  for (const [type, handler] of Object.entries(handlers) as Array<[string, (message: never, from: Buffer) => unknown]>) bound[type] = (message) => handler(message, link.id as Buffer);
  return bound as ChannelHandlers<'controllerToServer'>;
}
