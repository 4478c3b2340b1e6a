import { Router } from 'zeromq';
import {
  encodeMessage, errorFromState, FanIn, makePrivateDir, OncePerTurn, receiveLimit, runMessageLoop, RuntimeWindow, SocketWriter,
  type ExecutorInfo, type FnRef, type Message, type Payload, type OutputItem, type ResultItem, type TaskItem, type WindowPolicy,
} from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { assignTasks } from './assign-tasks.js';
import { ExecutorHandle } from './executor-handle.js';
import { ModuleStore } from './module-store.js';
import { ProcessUsage } from './process-usage.js';
import { TaskLedger } from './task-ledger.js';

/** What the pool reports upward, to the controllers the tasks came from. */
export interface PoolEvents {
  results(owner: Buffer, results: ResultItem[]): void;
  /** The kept values stored under these keys (null for one not held). */
  kept(keys: readonly string[]): Promise<Array<Payload | null>>;
  /** What running tasks printed, by the owner's task ids. */
  output(owner: Buffer, items: OutputItem[]): void;
  lost(owner: Buffer, ids: number[], reason: 'ExecutorCrashed' | 'TimeoutError', pid: number): void;
}

const START_TIMEOUT_MS = 30_000;
/** How often running tasks are checked against their time limits, and controllers for silence. */
const WATCH_MS = 50;
const MISSED_HEARTBEATS = 3;

/**
 * Forks and keeps `size` executors, hands them tasks within their windows,
 * replaces any that die or run over time, and routes their results to the
 * owners. The pool owns every executor process: none outlives it.
 */
export class ExecutorPool {
  private readonly ipc = makePrivateDir('exec');
  private readonly endpoint = this.ipc.endpoint('executors');
  private readonly router = new Router({ linger: 0, ...receiveLimit() });
  private readonly writer: SocketWriter;
  private readonly executors = new Map<string, ExecutorHandle>();
  private readonly ledger = new TaskLedger();
  private readonly modules = new ModuleStore();
  private readonly installs = new FanIn<string[]>();
  private readonly policy: WindowPolicy = new RuntimeWindow();
  private readonly turn = new OncePerTurn(() => this.endTurn());
  private readonly usage = new ProcessUsage();
  private readonly watch: NodeJS.Timeout;
  private generation = 0;
  private fastDeaths = 0;
  private closing = false;
  private upWaiters: Array<() => void> = [];

  constructor(
    readonly size: number,
    private readonly events: PoolEvents,
    private readonly log: Logger,
    /** Heap limit of each executor (node --max-old-space-size); a task past it kills only its executor. */
    private readonly maxMemoryMb?: number,
  ) {
    this.writer = new SocketWriter(this.router, log);
    this.watch = setInterval(() => this.watchOver(), WATCH_MS).unref();
  }

  async start(): Promise<void> {
    await this.router.bind(this.endpoint);
    void runMessageLoop(this.router, {
      up: (_message, from) => this.onUp(from),
      done: (message, from) => this.onDone(message, from),
      output: (message, from) => this.onOutput(message, from),
      installed: (message, from) => this.onInstalled(message, from),
      // An executor asks for the values behind the references in a task's arguments.
      fetch: ({ req, refs }, from) => this.events.kept(refs).then((values) => {
        if (from !== undefined) this.writer.send([from, ...encodeMessage({ t: 'fetched', req, values })]);
      }),
    }, { routed: true, log: this.log });
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
    await this.whenAllUp();
  }

  info(): ExecutorInfo[] {
    return [...this.executors.values()].filter((e) => e.serving).map((e) => [e.pid, e.tasks.size > 0]);
  }

  /** As `info`, with each executor's RSS and CPU (sampled at most once a second) and the id `from` gave the task it runs. */
  describe(from: Buffer): ExecutorInfo[] {
    const owner = this.ledger.ownerOf(from);
    const serving = [...this.executors.values()].filter((e) => e.serving);
    this.usage.refresh(serving.map((e) => e.pid));
    return serving.map((e) => {
      const running = e.running === undefined ? undefined : this.ledger.get(e.running);
      const { rss, cpu } = this.usage.get(e.pid) ?? { rss: -1, cpu: -1 };
      return [e.pid, e.tasks.size > 0, rss, cpu, running?.owner === owner ? running.remoteId : -1];
    });
  }

  /** Notes that a controller spoke (and how often it promises to), so a silent one can be forgotten. */
  heard(from: Buffer, heartbeatMs?: number, weight?: number): void {
    const owner = this.ledger.ownerOf(from, heartbeatMs);
    if (weight !== undefined) this.ledger.queue.weigh(owner, weight);
  }

  submit(from: Buffer, fns: FnRef[], items: TaskItem[]): void {
    this.ledger.add(from, fns, items);
    this.turn.request();
  }

  /** Loads a module on every executor, now and after any restart; resolves with its export names. */
  install(name: string, code: string): Promise<string[]> {
    this.modules.put(name, code);
    const targets = [...this.executors.values()].filter((e) => e.serving);
    const { req, done } = this.installs.open(targets.map((e) => e.routingId));
    for (const executor of targets) this.sendTo(executor, { t: 'install', req, name, code });
    return done.then((answers) => answers[0] ?? []);
  }

  /** Kills every executor and forks new ones; their unfinished tasks run again on the new ones. */
  async refresh(): Promise<ExecutorInfo[]> {
    for (const executor of [...this.executors.values()]) executor.sendAway('retire');
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
    await this.whenAllUp();
    return this.info();
  }

  /** Stops a controller's tasks: queued ones are dropped, an executor running one is replaced. */
  cancel(from: Buffer, remoteIds: readonly number[]): void {
    const ids = this.ledger.localIds(this.ledger.ownerOf(from), remoteIds);
    for (const id of ids) this.ledger.remove(id);
    for (const executor of this.executors.values()) {
      const running = executor.running;
      for (const id of ids) executor.tasks.delete(id);
      if (running !== undefined && ids.includes(running)) executor.sendAway('replace');
    }
    this.turn.request();
  }

  /** Forgets the queued tasks of a controller that said goodbye; running ones finish unheard. */
  dropOwner(from: Buffer): void {
    this.ledger.dropQueued(this.ledger.ownerOf(from));
  }

  /** Tasks held, queued or given to an executor. */
  get held(): number {
    return this.ledger.size;
  }

  /** Takes back every task no executor has been given yet, by owner, for the owners to run elsewhere. */
  handBackQueued(): Map<Buffer, number[]> {
    return this.ledger.takeQueued();
  }

  /** Stops every executor and returns what was not finished, by owner, for the owners to run elsewhere. */
  close(): Map<Buffer, number[]> {
    this.closing = true;
    clearInterval(this.watch);
    for (const executor of this.executors.values()) executor.sendAway('retire');
    this.router.close();
    this.ipc.remove();
    return this.ledger.drain();
  }

  private spawn(slot: number): void {
    const executor = new ExecutorHandle(slot, `e${slot}.${this.generation++}`, this.endpoint, this.maxMemoryMb);
    this.executors.set(executor.routingId, executor);
    executor.child.on('exit', (code, signal) => this.onExit(executor, code, signal));
    executor.child.on('error', (error) => this.log.error({ err: error }, 'an executor could not be started'));
  }

  private onUp(from: Buffer | undefined): void {
    const executor = this.executorOf(from);
    if (executor === undefined || executor.departure !== undefined) return;
    for (const [name, code] of this.modules.entries()) this.sendTo(executor, { t: 'install', req: 0, name, code });
    executor.up = true;
    if (this.info().length >= this.size) for (const wake of this.upWaiters.splice(0)) wake();
    this.turn.request();
  }

  private onInstalled({ req, names, error }: Message<'installed'>, from: Buffer | undefined): void {
    if (error !== undefined && req === 0) this.log.error({ error }, 'an installed module failed to load on a new executor');
    this.installs.settle(req, String(from), error === undefined ? { value: names ?? [] } : { error: errorFromState(error) });
  }

  private onDone({ results }: Message<'done'>, from: Buffer | undefined): void {
    const executor = this.executorOf(from);
    for (const item of results) {
      const id = item[0];
      if (executor !== undefined && !executor.tasks.delete(id)) continue;
      this.policy.observe(item[3]);
      this.ledger.complete(id, item);
    }
    if (executor !== undefined) executor.runningSince = Date.now();
    this.turn.request();
  }

  /** Passes live output on at once (the executor already coalesced it), for tasks this executor holds. */
  private onOutput({ items }: Message<'output'>, from: Buffer | undefined): void {
    const executor = this.executorOf(from);
    for (const [id, text] of items) {
      const task = executor?.tasks.has(id) === true ? this.ledger.get(id) : undefined;
      if (task !== undefined && typeof text === 'string') this.events.output(task.owner, [[task.remoteId, text]]);
    }
  }

  private onExit(executor: ExecutorHandle, code: number | null, signal: NodeJS.Signals | null): void {
    this.executors.delete(executor.routingId);
    this.installs.forget(executor.routingId);
    const held = [...executor.tasks];
    if (executor.departure === undefined) {
      // Tasks run in order, so the first one held was running: the suspect. The others go back in line.
      this.log.warn({ executor: executor.pid, code, signal }, 'an executor died; starting another');
      const running = held.shift();
      if (running !== undefined) this.report(running, 'ExecutorCrashed', executor.pid);
    }
    this.ledger.queue.unshift(held.filter((id) => this.ledger.get(id) !== undefined));
    if (executor.departure !== 'retire') this.respawnLater(executor);
    this.turn.request();
  }

  private respawnLater(executor: ExecutorHandle): void {
    if (this.closing) return;
    // An executor that dies at once, again and again, must not turn into a fork loop.
    const crashedEarly = executor.departure === undefined && Date.now() - executor.startedAt < 1000;
    this.fastDeaths = crashedEarly ? this.fastDeaths + 1 : 0;
    const delay = this.fastDeaths === 0 ? 0 : Math.min(10_000, 100 * 2 ** this.fastDeaths);
    setTimeout(() => { if (!this.closing) this.spawn(executor.slot); }, delay).unref();
  }

  private report(id: number, reason: 'ExecutorCrashed' | 'TimeoutError', pid: number): void {
    const task = this.ledger.remove(id);
    if (task !== undefined) this.events.lost(task.owner, [task.remoteId], reason, pid);
  }

  /** Replaces executors whose running task is over its time limit; forgets controllers gone silent. */
  private watchOver(): void {
    const now = Date.now();
    for (const executor of this.executors.values()) {
      const running = executor.running;
      const task = running === undefined ? undefined : this.ledger.get(running);
      if (running === undefined || task === undefined || task.timeoutMs <= 0 || now - executor.runningSince <= task.timeoutMs) continue;
      executor.tasks.delete(running);
      this.report(running, 'TimeoutError', executor.pid);
      executor.sendAway('replace');
    }
    for (const owner of this.ledger.takeSilentOwners(MISSED_HEARTBEATS)) {
      this.log.warn('a controller went silent; dropping its queued tasks');
      this.ledger.dropQueued(owner);
    }
  }

  private endTurn(): void {
    for (const [owner, list] of this.ledger.takeOutgoing()) this.events.results(owner, list);
    for (const [executor, message] of assignTasks(this.ledger, this.executors.values(), this.policy.window())) this.sendTo(executor, message);
  }

  private sendTo(executor: ExecutorHandle, message: Message): void {
    this.writer.send([Buffer.from(executor.routingId), ...encodeMessage(message)]);
  }

  private executorOf(from: Buffer | undefined): ExecutorHandle | undefined {
    return from === undefined ? undefined : this.executors.get(from.toString());
  }

  private whenAllUp(): Promise<void> {
    if (this.info().length >= this.size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new WorkerServerError('ERR_EXECUTORS_START', `executors did not start within ${START_TIMEOUT_MS} ms; see the log for their errors`)), START_TIMEOUT_MS);
      this.upWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }
}
