import { FanIn, type ClusterKey, type Payload, type ServerSpec } from '@scattergather/protocol';
import type { TaskBook } from '../dispatch/task-book.js';
import type { TaskOutcomes } from '../dispatch/task-outcomes.js';
import { ServerLink } from '../links/server-link.js';
import { remakeLost } from '../refs/lineage.js';
import type { Logger } from '../logger.js';

/** Heartbeats a server may miss before it counts as lost. */
const MISSED_HEARTBEATS = 3;

export interface FleetOptions {
  heartbeatMs: number;
  key: ClusterKey | undefined;
  /** The routing id every server knows this controller by. */
  routingId: string;
  /** Told to every server with each ping: this client's share of its executors. */
  weight: number;
}

/**
 * Every worker server this controller uses, and what happens to our tasks when
 * one is lost, restarts, or turns out not to hold what we sent it. Also the
 * requests fanned out to all live servers, and the modules each must have.
 */
export class ServerFleet {
  readonly links: ServerLink[] = [];
  readonly installs = new FanIn<string[]>();
  readonly refreshes = new FanIn<number[]>();
  readonly pings = new FanIn<void>();
  /** Kept values fetched from one server, and values put on one (see KeptValues). */
  readonly fetches = new FanIn<Array<Payload | null>>();
  readonly puts = new FanIn<number>();
  /** Installed modules by name: every server (present, restarted or added later) gets them before any task. */
  readonly modules = new Map<string, string>();
  /** The code of each module last sent to each server, by link index. */
  private readonly sentModules = new Map<number, Map<string, string>>();
  /** Heartbeat pings carry negative reqs, so they never collide with the positive reqs of fanned-out requests. */
  private lastBeatReq = 0;

  constructor(
    private readonly book: TaskBook,
    private readonly outcomes: TaskOutcomes,
    private readonly options: FleetOptions,
    private readonly log: Logger,
  ) {}

  /** A new link (not yet connected: start it with the server handlers). */
  add(spec: ServerSpec): ServerLink {
    const link = new ServerLink(this.links.length, spec, this.options.routingId, this.options.key, this.log, this.options.weight);
    this.links.push(link);
    return link;
  }

  live(): ServerLink[] {
    return this.links.filter((s) => s.health.alive);
  }

  /** A server's name in fan-in requests (and in their timeout errors). */
  peerId(link: ServerLink): string {
    return link.url;
  }

  /** Pings `link`, noting what was sent before the ping, so its pong can show what went missing. */
  ping(link: ServerLink, req: number): void {
    this.book.flights.markPing(link.index, req);
    link.send({ t: 'ping', req, heartbeatMs: this.options.heartbeatMs, weight: this.options.weight });
  }

  /** Asks every live server (`ask` sends the request) and resolves with their answers, bounded by `timeoutMs`. */
  askLive<T>(fanIn: FanIn<T>, ask: (link: ServerLink, req: number) => void, timeoutMs: number): Promise<T[]> {
    const live = this.live();
    const { req, done } = fanIn.open(live.map((s) => this.peerId(s)), timeoutMs);
    for (const link of live) ask(link, req);
    return done;
  }

  /**
   * Pings every server; one silent for MISSED_HEARTBEATS periods is lost until it
   * answers again. `judge` is false for a late tick (this process was busy, and
   * the servers' answers are still waiting to be read): nobody is judged on it.
   */
  beat(judge: boolean): void {
    const now = Date.now();
    for (const link of this.links) {
      if (judge && link.health.silent(now, MISSED_HEARTBEATS * this.options.heartbeatMs)) this.lose(link, 'no heartbeat');
      this.probe(link);
    }
  }

  /** A heartbeat ping to `link` now. */
  probe(link: ServerLink): void {
    this.ping(link, --this.lastBeatReq);
  }

  /**
   * A server that stopped answering, restarted or forgot us: what it held runs
   * again elsewhere. Counted against each set's retries, unless the server said
   * it was draining or it forgot us for our own silence (`blameless`): then
   * nothing it held was at fault.
   */
  lose(link: ServerLink, why: string, blameless = false): void {
    const wasAlive = link.health.alive;
    link.health.markLost();
    const tasks = this.book.flights.takeAll(link.index);
    if (wasAlive || tasks.length > 0) this.log.warn({ server: link.url, why, tasks: tasks.length }, 'lost a worker server');
    for (const task of tasks) {
      if (blameless || link.health.draining) this.outcomes.requeue(task);
      else this.outcomes.retryOrFail(task, 'ServerLost', `worker server ${link.url} was lost (${why})`, link.index, -1);
    }
    remakeLost(this.book, this.outcomes, link.index, link.url);
    const peer = this.peerId(link);
    this.pings.forget(peer);
    this.installs.forget(peer);
    this.refreshes.forget(peer);
    this.fetches.forget(peer);
    this.puts.forget(peer);
  }

  /**
   * The client that started `link`'s server saw its process (or ssh session) end. It gets no new tasks, and
   * is lost unless it answers a ping within `graceMs`: a worker whose session ended may still be handing its
   * tasks back, which must come back as handed back, not be counted as lost with it (one that answers is
   * lost to heartbeats once it has stopped, holding nothing by then).
   */
  async exited(link: ServerLink, why: string, graceMs: number): Promise<void> {
    link.health.markExited();
    if (!link.health.alive) return;
    const { req, done } = this.pings.open([this.peerId(link)], graceMs);
    this.ping(link, req);
    try {
      await done;
    } catch {
      if (link.health.alive) this.lose(link, why);
    }
  }

  /** The pong to ping `req` lists what `link` holds of ours: whatever was sent before the ping and is missing runs again. */
  reconcile(link: ServerLink, req: number, held: readonly unknown[]): void {
    const missing = this.book.flights.reconcile(link.index, req, held);
    if (missing.length === 0) return;
    this.log.warn({ server: link.url, tasks: missing.length }, 'a worker server does not hold tasks sent to it; queueing them again');
    for (const task of missing) this.outcomes.requeue(task);
  }

  /** Sends module `name` to `link` (req 0: nobody waits for the answer), noting which code it was sent. */
  sendInstall(link: ServerLink, req: number, name: string, code: string, timeoutMs?: number): void {
    let sent = this.sentModules.get(link.index);
    if (sent === undefined) this.sentModules.set(link.index, (sent = new Map()));
    sent.set(name, code);
    link.send({ t: 'install', req, name, code, timeoutMs });
  }

  /**
   * Our modules for a server, before any task: all of them for a process new to us (`fresh`); for one back
   * from lost, only those installed (or reverted) while it was away, so the others' top level does not run again.
   */
  reinstall(link: ServerLink, fresh: boolean): void {
    if (fresh) this.sentModules.delete(link.index);
    const sent = this.sentModules.get(link.index);
    for (const [name, code] of this.modules) if (sent?.get(name) !== code) this.sendInstall(link, 0, name, code);
  }

  /** Tells every server to forget our queued tasks: this controller is stopping. */
  sayBye(): void {
    for (const link of this.links) link.send({ t: 'bye' });
  }

  close(): void {
    for (const link of this.links) link.close();
  }
}
