import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const EXECUTOR_MAIN = join(__dirname, '..', 'executor', 'main.js');

/**
 * Why an executor is leaving, when the pool sends it away: `retire` (refresh,
 * shutdown: no replacement from here) or `replace` (a timed-out or cancelled
 * task: a new one takes its slot). Either way its other tasks are not failures.
 */
export type Departure = 'retire' | 'replace';

/** One executor child process as the pool sees it: its pid, its tasks in hand, its state. */
export class ExecutorHandle {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  /** Local ids of the tasks this executor holds, in the order it runs them: the first is running. */
  readonly tasks = new Set<number>();
  /** When the first held task started (about: when it was handed over, or when the one before it finished). */
  runningSince = 0;
  up = false;
  departure: Departure | undefined;

  constructor(
    readonly slot: number,
    readonly routingId: string,
    endpoint: string,
    maxMemoryMb: number | undefined,
  ) {
    const execArgv = maxMemoryMb === undefined ? process.execArgv : [...process.execArgv, `--max-old-space-size=${maxMemoryMb}`];
    // stdout and stderr of task code go to our stderr: our stdout carries the ready line alone.
    this.child = fork(EXECUTOR_MAIN, [endpoint, routingId, String(process.pid)], { stdio: ['ignore', 2, 2, 'ipc'], execArgv });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Up, and not on its way out: may be given tasks. */
  get serving(): boolean {
    return this.up && this.departure === undefined;
  }

  /** The task it is running now, if any. */
  get running(): number | undefined {
    for (const id of this.tasks) return id;
    return undefined;
  }

  sendAway(departure: Departure): void {
    this.departure ??= departure;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
