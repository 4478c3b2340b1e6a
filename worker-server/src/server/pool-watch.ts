import type { ControllerSessions } from './controller-sessions.js';
import type { ExecutorHandle } from './executor-handle.js';
import type { TaskLedger } from './task-ledger.js';
import { findOverdue } from './time-limits.js';

/** How often running tasks are checked against their time limits, and controllers for silence. */
const WATCH_MS = 50;
/** A watch tick this much later than the last one comes after a stall. */
const LATE_WATCH_MS = 10 * WATCH_MS;
const MISSED_HEARTBEATS = 3;

/** What the watch looks over, and what it does about a controller gone silent. */
export interface WatchedPool {
  executors(): Iterable<ExecutorHandle>;
  readonly ledger: TaskLedger;
  readonly sessions: ControllerSessions;
  forgetSilent(owner: Buffer): void;
}

/**
 * The pool's watch, every WATCH_MS: an executor whose running task is over
 * its time limit is replaced (the task is charged once the executor is gone,
 * and only if its result did not arrive after all); a controller silent for
 * MISSED_HEARTBEATS of its heartbeats is forgotten. A late tick means this
 * process was stalled, its controllers' pings waiting unread: it judges nobody.
 */
export class PoolWatch {
  private readonly timer: NodeJS.Timeout;
  private last = Date.now();

  constructor(private readonly pool: WatchedPool) {
    this.timer = setInterval(() => this.tick(), WATCH_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    for (const [executor, id] of findOverdue(this.pool.executors(), this.pool.ledger, now)) {
      executor.overdue = id;
      executor.sendAway('replace');
    }
    const onTime = now - this.last < LATE_WATCH_MS;
    this.last = now;
    if (!onTime) return;
    for (const owner of this.pool.sessions.takeSilent(MISSED_HEARTBEATS)) this.pool.forgetSilent(owner);
  }
}
