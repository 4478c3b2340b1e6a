import { join } from 'node:path';
import {
  makePrivateDir, OncePerTurn, RuntimeWindow,
  type ExecutorInfo, type FnRef, type Message, type ResultItem, type TaskItem, type WindowPolicy,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import { assignTasks } from './assign-tasks.js';
import { ControllerSessions, scopeOf } from './controller-sessions.js';
import { judgeCutOff } from './cut-off.js';
import { describeExecutors } from './describe-executors.js';
import { Doorbell } from './doorbell.js';
import { ExecutorChannel } from './executor-channel.js';
import type { ExecutorHandle } from './executor-handle.js';
import { ExecutorSupervisor } from './executor-supervisor.js';
import { DEFAULT_INSTALL_TIMEOUT_MS, ModuleInstalls } from './module-installs.js';
import { ProcessUsage } from './process-usage.js';
import { TaskLedger } from './task-ledger.js';
import { ResultBatching } from './result-batching.js';
import { ResultReading } from './result-reading.js';
import type { PoolEvents, PoolOptions } from './pool-events.js';
import { PoolWatch } from './pool-watch.js';

/** How long close waits for the executors to go, reading what they wrote until then. */
const CLOSE_WAIT_MS = 2000;

/**
 * Hands queued tasks to the executors within their windows, charges a task
 * that times out, crashes its executor or is cancelled to that task alone, and
 * routes results to their controllers. The supervisor keeps the processes, the
 * installs keep the modules, the sessions keep track of the controllers, the
 * watch enforces time limits and forgets controllers gone silent.
 */
export class ExecutorPool {
  private readonly ipc = makePrivateDir('exec');
  private readonly channel: ExecutorChannel;
  private readonly supervisor: ExecutorSupervisor;
  private readonly ledger = new TaskLedger();
  private readonly sessions = new ControllerSessions();
  private readonly installs: ModuleInstalls;
  private readonly policy: WindowPolicy = new RuntimeWindow();
  private readonly turn = new OncePerTurn(() => this.endTurn());
  private readonly batching = new ResultBatching(() => this.sendResults());
  private readonly reading: ResultReading;
  private readonly doorbell: Doorbell;
  private readonly usage = new ProcessUsage();
  private readonly watch: PoolWatch;

  constructor(
    options: PoolOptions,
    private readonly events: PoolEvents,
    private readonly log: Logger,
  ) {
    this.channel = new ExecutorChannel(this.ipc.endpoint('executors'), log);
    this.reading = new ResultReading(() => this.supervisor.executors.values());
    this.doorbell = new Doorbell(join(this.ipc.dir, 'doorbell'), () => this.reading.readNow());
    this.supervisor = new ExecutorSupervisor({
      size: options.size, endpoint: this.channel.endpoint, dir: this.ipc.dir, doorbell: this.doorbell.path, maxMemoryMb: options.maxMemoryMb, maxRecordBytes: options.maxResultBytes,
    }, {
      results: (executor, results) => this.onResults(executor, results),
      gone: (executor, code, signal) => this.onGone(executor, code, signal),
      failed: (executor, error) => this.log.error({ err: error, executor: executor.pid }, 'an executor failed; replacing it'),
    }, log);
    this.installs = new ModuleInstalls((executor, message) => this.channel.send(executor, message), this.supervisor, log, options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS);
    this.watch = new PoolWatch({
      executors: () => this.supervisor.executors.values(), ledger: this.ledger, sessions: this.sessions, forgetSilent: (owner) => this.forgetSilent(owner),
    });
  }

  async start(): Promise<void> {
    await this.channel.open((routingId) => this.supervisor.executors.get(routingId), {
      up: (_message, executor) => this.onUp(executor),
      output: (message, executor) => this.onOutput(message, executor),
      installed: (message, executor) => this.installs.settle(message, executor),
      // An executor asks for the values behind the references in a task's arguments.
      fetch: ({ req, refs }, executor) => this.events.kept(refs).then((values) => this.channel.send(executor, { t: 'fetched', req, values })),
    });
    await this.supervisor.start();
  }

  info(): ExecutorInfo[] {
    return this.supervisor.serving().map((e) => [e.pid, e.tasks.size > 0]);
  }

  /** As `info`, with each executor's RSS and CPU and the id `from` gave the task it runs (see describeExecutors). */
  describe(from: Buffer): ExecutorInfo[] {
    return describeExecutors(this.supervisor.serving(), this.ledger, this.usage, this.heard(from));
  }

  /** Notes that a controller spoke (and how often it promises to); returns the Buffer that stands for it. */
  heard(from: Buffer, heartbeatMs?: number, weight?: number): Buffer {
    const owner = this.sessions.heard(from, heartbeatMs);
    if (weight !== undefined) this.ledger.queue.weigh(owner, weight);
    return owner;
  }

  /** Which session of this controller this is: a new one once it was forgotten for silence (see ControllerSessions). */
  sessionOf(from: Buffer): number {
    return this.sessions.epochOf(from);
  }

  /** The ids of `from`'s tasks this server holds, after sending every result it has: nothing it made is missing from both. */
  held(from: Buffer): number[] {
    this.batching.flushNow();
    return this.ledger.heldBy(this.heard(from));
  }

  submit(from: Buffer, fns: FnRef[], items: TaskItem[]): void {
    const owner = this.heard(from);
    this.ledger.add(owner, scopeOf(owner), fns, items);
    this.turn.request();
  }

  /** Loads a controller's module on every executor, now and after any restart; resolves with its export names. */
  install(from: Buffer, name: string, code: string, timeoutMs?: number): Promise<string[]> {
    const valid = timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : undefined;
    return this.installs.install(scopeOf(this.heard(from)), name, code, valid);
  }

  /** Kills every executor and forks new ones; their unfinished tasks run again on the new ones. */
  async refresh(): Promise<ExecutorInfo[]> {
    await this.supervisor.refresh();
    return this.info();
  }

  /** Stops a controller's tasks (no result of theirs is sent); an executor holding one is replaced when it comes up. */
  cancel(from: Buffer, remoteIds: readonly number[]): void {
    for (const id of this.ledger.localIds(this.heard(from), remoteIds)) this.ledger.remove(id);
    for (const executor of this.supervisor.executors.values()) this.replaceIfCancelled(executor);
    this.turn.request();
  }

  /** An executor whose task up now was cancelled is replaced; what it held behind that runs again, uncharged. */
  private replaceIfCancelled(executor: ExecutorHandle): void {
    const running = executor.running;
    if (running !== undefined && executor.departure === undefined && this.ledger.get(running) === undefined) executor.sendAway('replace');
  }

  /** Released kept values: every executor drops its decoded copy, if it has one. */
  dropValues(keys: string[]): void {
    for (const executor of this.supervisor.serving()) this.channel.send(executor, { t: 'drop', keys });
  }

  /** Tasks held, queued or given to an executor. */
  get heldCount(): number {
    return this.ledger.size;
  }

  /** Takes back every task no executor has been given yet, by owner (every known one, [] if none): each must hear it. */
  handBackQueued(): Map<Buffer, number[]> {
    const queued = this.ledger.takeQueued();
    for (const owner of this.sessions.owners()) if (!queued.has(owner)) queued.set(owner, []);
    return queued;
  }

  /**
   * Stops every executor (and what their tasks started), delivers every result
   * they wrote until then, and returns what was not finished, by owner, for the
   * owners to run elsewhere.
   */
  async close(): Promise<Map<Buffer, number[]>> {
    this.watch.stop();
    this.reading.cancel();
    await this.supervisor.close(CLOSE_WAIT_MS);
    this.batching.flushNow();
    this.channel.close();
    this.doorbell.close();
    this.ipc.remove();
    return this.ledger.drain();
  }

  private onUp(executor: ExecutorHandle): void {
    if (executor.departure !== undefined) return;
    this.installs.loadAll(executor);
    this.supervisor.markUp(executor);
    this.turn.request();
  }

  private onResults(executor: ExecutorHandle, results: ResultItem[]): void {
    for (const item of results) {
      if (!Array.isArray(item)) continue;
      const id = item[0];
      if (!executor.tasks.delete(id)) continue;
      this.policy.observe(item[3]);
      this.ledger.complete(id, item);
    }
    this.replaceIfCancelled(executor);
    executor.runningSince = Date.now();
    this.turn.request();
  }

  /** Passes live output on at once (the executor already coalesced it), for tasks this executor holds. */
  private onOutput({ items }: Message<'output'>, executor: ExecutorHandle): void {
    for (const [id, text] of items) {
      const task = executor.tasks.has(id) ? this.ledger.get(id) : undefined;
      if (task !== undefined && typeof text === 'string') this.events.output(task.owner, [[task.remoteId, text]]);
    }
  }

  /** Every result it wrote has been read: its task that was cut off is charged or runs again (see judgeCutOff). */
  private onGone(executor: ExecutorHandle, code: number | null, signal: NodeJS.Signals | null): void {
    this.installs.forget(executor);
    if (executor.departure === undefined) this.log.warn({ executor: executor.pid, code, signal }, 'an executor died; starting another');
    const { charged, again } = judgeCutOff(executor);
    if (charged !== undefined) this.report(charged.id, charged.reason, executor.pid);
    this.ledger.queue.unshift(again.filter((id) => this.ledger.get(id) !== undefined));
    this.turn.request();
  }

  private report(id: number, reason: 'ExecutorCrashed' | 'TimeoutError', pid: number): void {
    const task = this.ledger.remove(id);
    if (task !== undefined) this.events.lost(task.owner, [task.remoteId], reason, pid);
  }

  /**
   * A controller gone silent (see PoolWatch): every task of its goes back to it, running ones too (their executors
   * are replaced as for a cancel): its modules and kept values go, so none could keep its result or read an input.
   */
  private forgetSilent(owner: Buffer): void {
    this.log.warn({ controller: scopeOf(owner) }, 'a controller went silent; handing its tasks back and dropping its modules and kept values');
    // Results read but not yet sent go first, their kept values kept (then dropped, and made again from their lineage).
    this.batching.flushNow();
    this.takeBack(owner);
    this.events.forgotten(owner);
  }

  /** A controller said goodbye (its client closed or died): its tasks and its modules go, as when it goes silent. */
  dropOwner(from: Buffer): void {
    const owner = this.heard(from);
    this.sessions.forget(owner);
    this.takeBack(owner);
    this.events.forgotten(owner);
  }

  /**
   * Every task of `owner` goes back to it, running ones too: their executors are replaced as for a cancel (a task
   * that spins forever would hold its executor from every other controller); its modules go.
   */
  private takeBack(owner: Buffer): void {
    const returned = this.ledger.takeOwned(owner);
    if (returned.length > 0) this.events.returned(owner, returned);
    for (const executor of this.supervisor.executors.values()) this.replaceIfCancelled(executor);
    this.installs.drop(scopeOf(owner), this.supervisor.executors.values());
  }

  private sendResults(): void {
    for (const [owner, list] of this.ledger.takeOutgoing()) this.events.results(owner, list);
  }

  private endTurn(): void {
    const serving = this.supervisor.serving();
    for (const [executor, message] of assignTasks(this.ledger, serving, this.policy.window() + this.policy.spare())) this.channel.send(executor, message);
    const busy = serving.some((e) => e.tasks.size > 0);
    if (busy) this.reading.expect();
    this.batching.endTurn(this.ledger.outgoingCount, busy);
  }
}
