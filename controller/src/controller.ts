import { randomUUID } from 'node:crypto';
import { encodeValue, FanIn, OncePerTurn, type ClientOutputItem, type ClientResultItem, type ClusterKey, type ErrorState, type Message, type ServerSpec } from '@scattergather/protocol';
import { Dispatcher } from './dispatch/dispatcher.js';
import { TaskBook, type TaskRecord } from './dispatch/task-book.js';
import { clientHandlers } from './handlers/client-handlers.js';
import { serverHandlers } from './handlers/server-handlers.js';
import { ClientLink } from './links/client-link.js';
import { ServerLink } from './links/server-link.js';
import type { Logger } from './logger.js';

export interface ControllerOptions {
  jobsUrl: string;
  resultsUrl: string;
  servers: ServerSpec[];
  log: Logger;
  heartbeatMs: number;
  retries: number;
  timeoutMs: number | undefined;
  key: ClusterKey | undefined;
}

/** Heartbeats a server may miss before it counts as lost. */
const MISSED_HEARTBEATS = 3;

/**
 * Owns the state the handlers work on: the client link, one link per server,
 * every unfinished task, installed modules, and requests fanned out to servers.
 */
export class Controller {
  readonly client: ClientLink;
  readonly servers: ServerLink[];
  readonly book = new TaskBook();
  readonly dispatcher: Dispatcher;
  readonly modules = new Map<string, string>();
  readonly installs = new FanIn<string[]>();
  readonly refreshes = new FanIn<number[]>();
  readonly pings = new FanIn<void>();
  readonly log: Logger;
  private readonly turn = new OncePerTurn(() => this.endTurn());
  private outgoing: ClientResultItem[] = [];
  private printed: ClientOutputItem[] = [];
  private readySent = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastBeat = Date.now();
  private stopping = false;

  constructor(readonly options: ControllerOptions) {
    this.log = options.log;
    this.client = new ClientLink(options.jobsUrl, options.resultsUrl, options.log);
    const routingId = `sg-controller-${process.pid}-${randomUUID()}`;
    this.servers = options.servers.map((spec, index) => new ServerLink(index, spec, routingId, options.key, options.log));
    this.dispatcher = new Dispatcher(this.book, this.servers);
  }

  /** Runs until the client link closes or `die` is asked for. */
  async run(): Promise<void> {
    for (const server of this.servers) server.start(serverHandlers(this, server), (reason) => this.refused(server, reason));
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.beat();
    await this.client.start(clientHandlers(this));
  }

  liveServers(): ServerLink[] {
    return this.servers.filter((s) => s.alive);
  }

  /** Sends one request to every live server and resolves with their answers (bounded by `timeoutMs`). */
  askLiveServers<T>(fanIn: FanIn<T>, message: (req: number) => Message, timeoutMs: number): Promise<T[]> {
    const live = this.liveServers();
    const { req, done } = fanIn.open(live.map((s) => this.peerId(s)), timeoutMs);
    for (const server of live) server.send(message(req));
    return done;
  }

  /** A server's name in fan-in requests (and in their timeout errors). */
  peerId(server: ServerLink): string {
    return server.url;
  }

  /** Sends `ready` to the client the first time every server has answered. */
  checkReady(): void {
    if (this.readySent || !this.servers.every((s) => s.answered)) return;
    this.readySent = true;
    this.client.send({ t: 'ready', servers: this.servers.map((s) => ({ url: s.url, executors: s.usable })) });
  }

  /** A handshake with `server` failed: tell the client once per reason, so ready() can say why instead of timing out. */
  private refused(server: ServerLink, reason: string): void {
    if (server.refusal === reason) return;
    server.refusal = reason;
    this.log.warn({ server: server.url, reason }, 'handshake refused');
    const hint = this.options.key === undefined ? 'this client has no cluster key; that server seems to want one' : 'the cluster key was refused; that server uses another key, or none';
    this.client.send({ t: 'trouble', server: server.index, reason: `${hint} (${reason})` });
  }

  /** A server that stopped answering or restarted: what it held runs again elsewhere, within each set's retries. */
  loseServer(server: ServerLink, why: string): void {
    if (!server.alive) return;
    server.alive = false;
    this.log.warn({ server: server.url, why, tasks: server.inFlight.size }, 'lost a worker server');
    for (const id of server.inFlight) this.retryOrFail(id, 'ServerLost', `worker server ${server.url} was lost (${why})`, -1, server);
    server.inFlight.clear();
    const peer = this.peerId(server);
    this.pings.forget(peer);
    this.installs.forget(peer);
    this.refreshes.forget(peer);
  }

  /** Counts a run that ended without a result; past the set's retries the task fails with `remoteName`. */
  retryOrFail(id: number, remoteName: string, why: string, pid: number, server: ServerLink): void {
    const task = this.book.tasks.get(id);
    if (task === undefined) return;
    task.failures += 1;
    if (task.failures <= task.set.retries) {
      this.book.requeue(task);
      return;
    }
    const message = `${why}; gave up after ${task.failures} attempt${task.failures === 1 ? '' : 's'} (retries: ${task.set.retries})`;
    this.failTask(task, { name: remoteName, message }, server.index, pid);
  }

  /** Finishes a task with an error made here, not by the task. */
  failTask(task: TaskRecord, error: ErrorState, server: number, pid: number): void {
    if (this.book.finish(task.id, false) === undefined) return;
    this.deliver([[task.set.id, task.index, false, encodeValue(error), server, pid, '']]);
  }

  /** Queues results for the client; they leave together at the end of this turn. */
  deliver(items: ClientResultItem[]): void {
    for (const item of items) this.outgoing.push(item);
    this.turn.request();
  }

  /** Queues live output of a running task for the client; it leaves at the end of this turn, before the results. */
  print(item: ClientOutputItem): void {
    this.printed.push(item);
    this.turn.request();
  }

  /** Deals queued tasks at the end of this turn, once, however many messages asked for it. */
  dispatchSoon(): void {
    this.turn.request();
  }

  private endTurn(): void {
    this.flushResults();
    this.dispatcher.dispatch();
  }

  private flushResults(): void {
    if (this.printed.length > 0) this.client.send({ t: 'printed', items: this.printed });
    this.printed = [];
    if (this.outgoing.length === 0) return;
    this.client.send({ t: 'results', items: this.outgoing });
    this.outgoing = [];
  }

  /** Replies to a client request; results queued before it leave first, so the client sees them in order. */
  reply(req: number, outcome: { value: unknown } | { error: ErrorState }): void {
    this.flushResults();
    const message: Message<'reply'> = 'error' in outcome ? { t: 'reply', req, ok: false, error: outcome.error } : { t: 'reply', req, ok: true, value: outcome.value };
    this.client.send(message);
  }

  /** Pings every server; one silent for MISSED_HEARTBEATS periods is lost until it answers again. */
  private beat(): void {
    const now = Date.now();
    // A beat that comes late means this process was busy (a huge submit, say), and the
    // servers' answers are still waiting to be read: judge nobody on it.
    const onTime = now - this.lastBeat < 2 * this.options.heartbeatMs;
    this.lastBeat = now;
    for (const server of this.servers) {
      if (onTime && server.alive && now - server.lastHeard > MISSED_HEARTBEATS * this.options.heartbeatMs) this.loseServer(server, 'no heartbeat');
      server.send({ t: 'ping', req: 0, heartbeatMs: this.options.heartbeatMs });
    }
    this.dispatchSoon();
  }

  /** Says goodbye to every server (they drop our queued tasks), flushes to the client and closes. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.flushResults();
    for (const server of this.servers) server.send({ t: 'bye' });
    await Promise.all([this.client.drain(1000), new Promise((resolve) => setTimeout(resolve, 50))]);
    for (const server of this.servers) server.close();
    this.client.close();
  }
}
