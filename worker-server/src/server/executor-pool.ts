import { Router } from 'zeromq';
import {
  encodeMessage, errorFromState, FanIn, makePrivateIpcDir, OncePerTurn, runMessageLoop, RuntimeWindow, SocketWriter,
  type ExecutorInfo, type WindowPolicy, type FnRef, type Message, type Payload, type ResultItem, type TaskItem,
} from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ExecutorHandle } from './executor-handle.js';
import { ModuleStore } from './module-store.js';
import { TaskQueue } from './task-queue.js';

/** A task held by this server: whose it is (controller routing id) and its id there. */
export interface HeldTask { owner: Buffer; remoteId: number; fn: FnRef; args: Payload }

/** What the pool reports upward, to the controllers the tasks came from. */
export interface PoolEvents {
  results(owner: Buffer, results: ResultItem[]): void;
  lost(owner: Buffer, ids: number[], reason: string, pid: number): void;
  changed(): void;
}

const START_TIMEOUT_MS = 30_000;

/**
 * Forks and keeps `size` executors, hands them tasks within their windows,
 * replaces any that die, and routes their results to the owners. The pool owns
 * every executor process: none outlives it.
 */
export class ExecutorPool {
  private readonly ipc = makePrivateIpcDir('exec');
  private readonly endpoint = this.ipc.endpoint('executors');
  private readonly router = new Router({ linger: 0 });
  private readonly writer: SocketWriter;
  private readonly executors = new Map<string, ExecutorHandle>();
  private readonly tasks = new Map<number, HeldTask>();
  /** One Buffer per controller, so results can be grouped by identity. */
  private readonly owners = new Map<string, Buffer>();
  private readonly queue = new TaskQueue();
  private readonly modules = new ModuleStore();
  private readonly installs = new FanIn<string[]>();
  private readonly policy: WindowPolicy = new RuntimeWindow();
  private nextTaskId = 1;
  private generation = 0;
  private fastDeaths = 0;
  private closing = false;
  private upWaiters: Array<() => void> = [];
  /** Results waiting to go up, by owner; they leave together at the end of the turn, as do new tasks to executors. */
  private outgoing = new Map<Buffer, ResultItem[]>();
  private readonly turn = new OncePerTurn(() => this.endTurn());

  constructor(
    readonly size: number,
    private readonly events: PoolEvents,
    private readonly log: Logger,
  ) {
    this.writer = new SocketWriter(this.router, log);
  }

  async start(): Promise<void> {
    await this.router.bind(this.endpoint);
    void runMessageLoop(this.router, {
      up: (message, from) => this.onUp(message, from),
      done: (message, from) => this.onDone(message, from),
      installed: (message, from) => this.onInstalled(message, from),
    }, { routed: true, log: this.log });
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
    await this.whenAllUp(START_TIMEOUT_MS);
  }

  info(): ExecutorInfo[] {
    return [...this.executors.values()].filter((e) => e.up && !e.retiring).map((e) => [e.pid, e.tasks.size > 0]);
  }

  submit(from: Buffer, fns: FnRef[], items: TaskItem[]): void {
    const owner = this.ownerOf(from);
    for (const [remoteId, fnIndex, args] of items) {
      const fn = fns[fnIndex];
      if (fn === undefined) continue;
      const id = this.nextTaskId++;
      this.tasks.set(id, { owner, remoteId, fn, args });
      this.queue.push(id);
    }
    this.turn.request();
  }

  /** Loads a module on every executor, now and after any restart; resolves with its export names. */
  install(name: string, code: string): Promise<string[]> {
    this.modules.put(name, code);
    const targets = [...this.executors.values()].filter((e) => e.up && !e.retiring);
    const { req, done } = this.installs.open(targets.map((e) => e.routingId));
    for (const executor of targets) this.sendTo(executor, { t: 'install', req, name, code });
    return done.then((answers) => answers[0] ?? []);
  }

  /** Kills every executor and forks new ones; their unfinished tasks run again on the new ones. */
  async refresh(): Promise<ExecutorInfo[]> {
    const old = [...this.executors.values()];
    for (const executor of old) executor.kill();
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
    await this.whenAllUp(START_TIMEOUT_MS);
    return this.info();
  }

  /** Forgets the queued tasks of a controller that said goodbye; running ones finish unheard. */
  dropOwner(from: Buffer): void {
    const owner = this.ownerOf(from);
    this.queue.removeWhere((id) => {
      const task = this.tasks.get(id);
      if (task === undefined || task.owner !== owner) return false;
      this.tasks.delete(id);
      return true;
    });
  }

  /** Stops every executor and returns what was not finished, by owner, for the owners to run elsewhere. */
  close(): Map<Buffer, number[]> {
    this.closing = true;
    for (const executor of this.executors.values()) executor.kill();
    const unfinished = new Map<Buffer, number[]>();
    for (const task of this.tasks.values()) {
      const ids = unfinished.get(task.owner) ?? [];
      ids.push(task.remoteId);
      unfinished.set(task.owner, ids);
    }
    this.tasks.clear();
    this.router.close();
    this.ipc.remove();
    return unfinished;
  }

  private spawn(slot: number): void {
    const executor = new ExecutorHandle(`e${slot}.${this.generation++}`, this.endpoint);
    this.executors.set(executor.routingId, executor);
    executor.child.on('exit', (code, signal) => this.onExit(executor, slot, code, signal));
    executor.child.on('error', (error) => this.log.error({ err: error }, 'an executor could not be started'));
  }

  private onUp(_message: Message<'up'>, from: Buffer | undefined): void {
    const executor = this.executors.get(this.routingIdOf(from));
    if (executor === undefined || executor.retiring) return;
    for (const [name, code] of this.modules.entries()) this.sendTo(executor, { t: 'install', req: 0, name, code });
    executor.up = true;
    this.log.debug({ executor: executor.pid }, 'executor up');
    if (this.info().length >= this.size) for (const wake of this.upWaiters.splice(0)) wake();
    this.events.changed();
    this.turn.request();
  }

  private onInstalled({ req, names, error }: Message<'installed'>, from: Buffer | undefined): void {
    if (error !== undefined && req === 0) this.log.error({ error }, 'an installed module failed to load on a new executor');
    this.installs.settle(req, this.routingIdOf(from), error === undefined ? { value: names ?? [] } : { error: errorFromState(error) });
  }

  private onDone({ results }: Message<'done'>, from: Buffer | undefined): void {
    const executor = this.executors.get(this.routingIdOf(from));
    for (const item of results) {
      const [id, ok, value, ms, pid] = item;
      const task = this.tasks.get(id);
      executor?.tasks.delete(id);
      if (task === undefined) continue;
      this.tasks.delete(id);
      this.policy.observe(ms);
      const list = this.outgoing.get(task.owner);
      if (list === undefined) this.outgoing.set(task.owner, [[task.remoteId, ok, value, ms, pid]]);
      else list.push([task.remoteId, ok, value, ms, pid]);
    }
    this.turn.request();
  }

  private onExit(executor: ExecutorHandle, slot: number, code: number | null, signal: NodeJS.Signals | null): void {
    this.executors.delete(executor.routingId);
    this.installs.forget(executor.routingId);
    const held = [...executor.tasks];
    if (!executor.retiring) {
      // Tasks run in order, so the first one held is the one that was running: the suspect.
      const [running, ...waiting] = held;
      this.log.warn({ executor: executor.pid, code, signal }, 'an executor died; starting another');
      if (running !== undefined) this.reportLost(running, executor.pid);
      this.queue.unshift(waiting);
      this.respawnLater(slot, executor);
    } else {
      this.queue.unshift(held);
    }
    this.events.changed();
    this.turn.request();
  }

  private respawnLater(slot: number, executor: ExecutorHandle): void {
    if (this.closing) return;
    // An executor that dies at once, again and again, must not turn into a fork loop.
    this.fastDeaths = Date.now() - executor.startedAt < 1000 ? this.fastDeaths + 1 : 0;
    const delay = this.fastDeaths === 0 ? 0 : Math.min(10_000, 100 * 2 ** this.fastDeaths);
    setTimeout(() => { if (!this.closing) this.spawn(slot); }, delay).unref();
  }

  private reportLost(id: number, pid: number): void {
    const task = this.tasks.get(id);
    if (task === undefined) return;
    this.tasks.delete(id);
    this.events.lost(task.owner, [task.remoteId], 'ExecutorCrashed', pid);
  }

  private endTurn(): void {
    for (const [owner, list] of this.outgoing) this.events.results(owner, list);
    this.outgoing = new Map();
    this.pump();
  }

  /** Gives every ready executor tasks up to its window, one at a time round the pool so a short queue spreads out. */
  private pump(): void {
    if (this.queue.length === 0) return;
    const window = this.policy.window();
    const ready = [...this.executors.values()].filter((e) => e.up && !e.retiring && e.tasks.size < window);
    const batches = new Map<ExecutorHandle, number[]>();
    while (this.queue.length > 0 && ready.length > 0) {
      for (let i = 0; i < ready.length && this.queue.length > 0; i++) {
        const executor = ready[i] as ExecutorHandle;
        const id = this.queue.shift() as number;
        if (!this.tasks.has(id)) continue;
        executor.tasks.add(id);
        const batch = batches.get(executor) ?? [];
        batch.push(id);
        batches.set(executor, batch);
        if (executor.tasks.size >= window) ready.splice(i--, 1);
      }
    }
    for (const [executor, ids] of batches) this.sendTo(executor, this.runMessage(ids));
  }

  private runMessage(ids: number[]): Message<'run'> {
    const fns: FnRef[] = [];
    const index = new Map<FnRef, number>();
    const tasks: TaskItem[] = ids.map((id) => {
      const task = this.tasks.get(id) as HeldTask;
      let fnIndex = index.get(task.fn);
      if (fnIndex === undefined) {
        fnIndex = fns.push(task.fn) - 1;
        index.set(task.fn, fnIndex);
      }
      return [id, fnIndex, task.args];
    });
    return { t: 'run', fns, tasks };
  }

  private sendTo(executor: ExecutorHandle, message: Message): void {
    this.writer.send([Buffer.from(executor.routingId), ...encodeMessage(message)]);
  }

  private ownerOf(from: Buffer): Buffer {
    const key = from.toString('latin1');
    let owner = this.owners.get(key);
    if (owner === undefined) {
      owner = Buffer.from(from);
      this.owners.set(key, owner);
    }
    return owner;
  }

  private routingIdOf(from: Buffer | undefined): string {
    return from === undefined ? '' : from.toString();
  }

  private whenAllUp(timeoutMs: number): Promise<void> {
    if (this.info().length >= this.size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new WorkerServerError('ERR_EXECUTORS_START', `executors did not start within ${timeoutMs} ms; see the log for their errors`)), timeoutMs);
      this.upWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }
}

