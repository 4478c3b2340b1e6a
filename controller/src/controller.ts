import { randomUUID } from 'node:crypto';
import { OncePerTurn, type ClusterKey, type ErrorState, type Message, type ServerSpec } from '@scattergather/protocol';
import type { ControllerParts, ControllerSettings } from './controller-parts.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { TaskBook } from './dispatch/task-book.js';
import { TaskOutcomes } from './dispatch/task-outcomes.js';
import { clientHandlers } from './handlers/client-handlers.js';
import { serverHandlers } from './handlers/server-handlers.js';
import { openClientLink, type ClientLink } from './links/client-link.js';
import type { ServerLink } from './links/server-link.js';
import type { Logger } from './logger.js';
import { KeptValues } from './refs/kept-values.js';
import { ServerFleet } from './servers/server-fleet.js';

export interface ControllerOptions extends ControllerSettings {
  jobsUrl: string;
  resultsUrl: string;
  servers: ServerSpec[];
  log: Logger;
  key: ClusterKey | undefined;
}

/**
 * Builds the parts (task book, outcomes, fleet of servers, dispatcher, client
 * link), connects them to their sockets, and runs the end-of-turn work: results
 * to the client, then one dispatch pass.
 */
export class Controller implements ControllerParts {
  readonly settings: ControllerSettings;
  readonly log: Logger;
  readonly book = new TaskBook();
  readonly outcomes: TaskOutcomes;
  readonly fleet: ServerFleet;
  readonly kept: KeptValues;
  private readonly client: ClientLink;
  private readonly dispatcher: Dispatcher;
  private readonly turn = new OncePerTurn(() => this.endTurn());
  private readySent = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastBeat = Date.now();
  private stopping = false;

  constructor(private readonly options: ControllerOptions) {
    this.settings = { heartbeatMs: options.heartbeatMs, retries: options.retries, timeoutMs: options.timeoutMs, weight: options.weight };
    this.log = options.log;
    this.client = openClientLink(options.jobsUrl, options.resultsUrl, options.log);
    this.outcomes = new TaskOutcomes(this.book, () => this.turn.request());
    const routingId = `sg-controller-${process.pid}-${randomUUID()}`;
    this.fleet = new ServerFleet(this.book, this.outcomes, { heartbeatMs: options.heartbeatMs, key: options.key, routingId, weight: options.weight }, options.log);
    for (const spec of options.servers) this.fleet.add(spec);
    this.kept = new KeptValues(this.book, this.fleet);
    this.dispatcher = new Dispatcher(this.book, this.fleet.links, (task, ref, error) => this.outcomes.failInput(task, ref, error));
  }

  /** Runs until the client link closes or `die` is asked for. */
  async run(): Promise<void> {
    for (const link of this.fleet.links) this.connect(link);
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.beat();
    await this.client.start(clientHandlers(this));
  }

  /** Connects to more servers while running (a launcher's jobs, as they start); `ready` goes out again once they answered. */
  addServers(specs: ServerSpec[]): void {
    for (const spec of specs) this.connect(this.fleet.add(spec));
    this.readySent = false;
  }

  checkReady(): void {
    if (this.readySent || !this.fleet.links.every((s) => s.health.answered)) return;
    this.readySent = true;
    this.client.send({ t: 'ready', servers: this.fleet.links.map((s) => ({ url: s.url, executors: s.usable })) });
  }

  trouble(server: number, reason: string): void {
    const link = this.fleet.links[server];
    if (link !== undefined) this.refused(link, reason, false);
  }

  dispatchSoon(): void {
    this.turn.request();
  }

  reply(req: number, outcome: { value: unknown } | { error: ErrorState }): void {
    this.flushResults();
    const message: Message<'reply'> = 'error' in outcome ? { t: 'reply', req, ok: false, error: outcome.error } : { t: 'reply', req, ok: true, value: outcome.value };
    this.client.send(message);
  }

  /** Says goodbye to every server (they drop our queued tasks), flushes to the client and closes. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.flushResults();
    this.fleet.sayBye();
    await Promise.all([this.client.drain(1000), new Promise((resolve) => setTimeout(resolve, 50))]);
    this.fleet.close();
    this.client.close();
  }

  private connect(link: ServerLink): void {
    link.start(serverHandlers(this, link), (reason, aboutKey) => this.refused(link, reason, aboutKey));
  }

  /** A handshake with `link` failed, or its pipe link cannot be used: tell the client once per reason, so ready() can say why instead of timing out. */
  private refused(link: ServerLink, reason: string, aboutKey: boolean): void {
    if (link.refusal === reason) return;
    link.refusal = reason;
    this.log.warn({ server: link.url, reason }, 'cannot use this server');
    const hint = this.options.key === undefined ? 'this client has no cluster key; that server seems to want one' : 'the cluster key was refused; that server uses another key, or none';
    this.client.send({ t: 'trouble', server: link.index, reason: aboutKey ? `${hint} (${reason})` : reason, aboutKey });
  }

  private beat(): void {
    const now = Date.now();
    // A beat that comes late means this process was busy (a huge submit, say): judge nobody on it.
    const onTime = now - this.lastBeat < 2 * this.options.heartbeatMs;
    this.lastBeat = now;
    this.fleet.beat(onTime);
    this.dispatchSoon();
  }

  /** Servers first: the tasks that refill their executors leave before this turn's results are encoded for the client. */
  private endTurn(): void {
    this.dispatcher.dispatch();
    this.flushResults();
  }

  /** Live output first, so a task's chunks reach the client before its result. */
  private flushResults(): void {
    const printed = this.outcomes.takePrinted();
    if (printed.length > 0) this.client.send({ t: 'printed', items: printed });
    const items = this.outcomes.takeResults();
    if (items.length > 0) this.client.send({ t: 'results', items });
  }
}
