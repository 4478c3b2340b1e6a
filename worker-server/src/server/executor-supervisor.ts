import { join } from 'node:path';
import { WorkerServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { makeFifos } from '../result-pipe/make-fifo.js';
import { ExecutorHandle, type ExecutorEvents, type ExecutorPipes } from './executor-handle.js';

const START_TIMEOUT_MS = 30_000;
/** An executor that dies within this long of starting, again and again, is restarted ever more slowly. */
const FAST_DEATH_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** How soon an executor that could not be forked is first tried again (then twice as long each time, up to MAX_BACKOFF_MS). */
const RESTART_RETRY_MS = 1000;

export interface SupervisorOptions {
  size: number;
  endpoint: string;
  /** The server's private directory, where each executor's result and task pipes are made. */
  dir: string;
  /** The FIFO each executor rings when it pauses (see Doorbell). */
  doorbell: string;
  maxMemoryMb: number | undefined;
  maxRecordBytes: number;
}

/**
 * Keeps one executor in each of `size` slots: forks them, replaces those that
 * die or are sent away (a slot is refilled only once its last occupant is gone,
 * so there are never more than `size`), with a growing delay for executors that
 * die at once, again and again.
 */
export class ExecutorSupervisor {
  /** Every executor not yet gone, by routing id (those on their way out too). */
  readonly executors = new Map<string, ExecutorHandle>();
  private readonly respawns = new Map<number, NodeJS.Timeout>();
  /** Restarts of each slot that failed in a row (see restart). */
  private readonly restartFailures = new Map<number, number>();
  private generation = 0;
  private fastDeaths = 0;
  private closing = false;
  /** Waiting for at least `serving` executors to serve. */
  private waiters: Array<{ serving: number; wake: () => void }> = [];
  private goneWaiters: Array<() => void> = [];

  constructor(
    private readonly options: SupervisorOptions,
    private readonly events: ExecutorEvents,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.options.size;
  }

  /** Forks an executor into every slot; resolves once all are up. */
  start(): Promise<void> {
    this.spawn(...Array.from({ length: this.size }, (_, slot) => slot));
    return this.whenAllUp();
  }

  /** Up and not on their way out. */
  serving(): ExecutorHandle[] {
    return [...this.executors.values()].filter((e) => e.serving);
  }

  /**
   * Resolves once at least `count` executors serve (at once if they do, or if closing: no more will); rejects
   * with `timedOut()` after `timeoutMs`.
   */
  whenServing(count: number, timeoutMs: number, timedOut: () => Error): Promise<void> {
    if (this.closing || this.serving().length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(timedOut()), timeoutMs);
      this.waiters.push({ serving: count, wake: () => { clearTimeout(timer); resolve(); } });
    });
  }

  markUp(executor: ExecutorHandle): void {
    executor.up = true;
    const serving = this.serving().length;
    for (const waiter of this.waiters.filter((w) => w.serving <= serving)) waiter.wake();
    this.waiters = this.waiters.filter((w) => w.serving > serving);
  }

  /** Sends every executor away and forks new ones as the old ones go; pending restarts happen now instead. */
  refresh(): Promise<void> {
    for (const executor of this.executors.values()) executor.sendAway('replace');
    // A copy: a restart that fails now is planned again, and must not be met again by this loop.
    for (const [slot, timer] of [...this.respawns]) {
      clearTimeout(timer);
      this.respawns.delete(slot);
      this.restart(slot, 0);
    }
    this.fastDeaths = 0;
    return this.whenAllUp();
  }

  /** Ends every executor (and its process group); resolves once all are gone, or after `timeoutMs`. */
  close(timeoutMs: number): Promise<void> {
    this.closing = true;
    for (const { wake } of this.waiters.splice(0)) wake();
    for (const timer of this.respawns.values()) clearTimeout(timer);
    this.respawns.clear();
    for (const executor of this.executors.values()) executor.sendAway('retire');
    if (this.executors.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.goneWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /** A new executor's routing id and the paths of its pipes. */
  private name(slot: number): { routingId: string; pipes: ExecutorPipes } {
    const routingId = `e${slot}.${this.generation++}`;
    const { dir, doorbell } = this.options;
    return { routingId, pipes: { results: join(dir, `${routingId}.results`), tasks: join(dir, `${routingId}.tasks`), doorbell } };
  }

  /** Forks an executor into each of `slots`, their pipes made by one mkfifo (each spawn of it costs a few ms). */
  private spawn(...slots: number[]): void {
    const named = slots.map((slot) => ({ slot, ...this.name(slot) }));
    makeFifos(named.flatMap(({ pipes }) => [pipes.results, pipes.tasks]), 'executors\' result and task pipes');
    for (const { slot, routingId, pipes } of named) this.fork(slot, routingId, pipes);
  }

  private fork(slot: number, routingId: string, pipes: ExecutorPipes): void {
    const { endpoint, maxMemoryMb, maxRecordBytes } = this.options;
    const executor = new ExecutorHandle(slot, routingId, endpoint, pipes, maxMemoryMb, maxRecordBytes, {
      results: this.events.results,
      failed: this.events.failed,
      gone: (gone, code, signal) => this.onGone(gone, code, signal),
    });
    this.executors.set(executor.routingId, executor);
  }

  private onGone(executor: ExecutorHandle, code: number | null, signal: NodeJS.Signals | null): void {
    this.executors.delete(executor.routingId);
    this.events.gone(executor, code, signal);
    if (this.executors.size === 0) for (const wake of this.goneWaiters.splice(0)) wake();
    if (this.closing || executor.departure === 'retire') return;
    const crashedEarly = executor.departure === undefined && Date.now() - executor.startedAt < FAST_DEATH_MS;
    this.fastDeaths = crashedEarly ? this.fastDeaths + 1 : 0;
    if (this.fastDeaths === 0) {
      this.restart(executor.slot, 0);
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.fastDeaths);
    this.log.warn({ slot: executor.slot, delayMs: delay }, 'an executor died right after starting; restarting it after a delay');
    this.restart(executor.slot, delay);
  }

  /**
   * Forks an executor into `slot` after `delayMs` (now for 0). One whose pipes cannot be made (its mkfifo killed by
   * a signal meant for the whole job, a full disk) is tried again later: this runs in an exit handler, where a throw
   * would end the server without handing anything back.
   */
  private restart(slot: number, delayMs: number): void {
    if (delayMs > 0) {
      this.respawns.set(slot, setTimeout(() => {
        this.respawns.delete(slot);
        this.restart(slot, 0);
      }, delayMs).unref());
      return;
    }
    if (this.closing) return;
    try {
      this.spawn(slot);
      this.restartFailures.delete(slot);
    } catch (error) {
      const failures = (this.restartFailures.get(slot) ?? 0) + 1;
      this.restartFailures.set(slot, failures);
      const retryMs = Math.min(MAX_BACKOFF_MS, RESTART_RETRY_MS * 2 ** (failures - 1));
      this.log.error({ slot, err: error, retryMs }, 'cannot restart an executor; trying again later');
      this.restart(slot, retryMs);
    }
  }

  private whenAllUp(): Promise<void> {
    return this.whenServing(this.size, START_TIMEOUT_MS, () => new WorkerServerError('ERR_EXECUTORS_START', `executors did not start within ${START_TIMEOUT_MS} ms; see the log for their errors`));
  }
}
