import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const EXECUTOR_MAIN = join(__dirname, '..', 'executor', 'main.js');

/** One executor child process as the pool sees it: its pid, its tasks in hand, its state. */
export class ExecutorHandle {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  /** Local ids of the tasks this executor holds, running or prefetched. */
  readonly tasks = new Set<number>();
  up = false;
  /** Set when the pool stops this executor on purpose: its tasks go back, not as crashes. */
  retiring = false;

  constructor(
    readonly routingId: string,
    endpoint: string,
  ) {
    // stdout and stderr of task code go to our stderr: our stdout carries the ready line alone.
    this.child = fork(EXECUTOR_MAIN, [endpoint, routingId, String(process.pid)], { stdio: ['ignore', 2, 2, 'ipc'] });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(): void {
    this.retiring = true;
    if (this.alive) this.child.kill('SIGKILL');
  }
}
