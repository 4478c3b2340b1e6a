import type { ExecutorHandle } from './executor-handle.js';
import type { TaskLedger } from './task-ledger.js';

/**
 * The executors whose running task is over its time limit, with that task. An
 * executor runs its tasks in order and reports each as it ends, so the first
 * one it holds is the one running, since the result before it arrived.
 */
export function findOverdue(executors: Iterable<ExecutorHandle>, ledger: TaskLedger, now: number): Array<[ExecutorHandle, number]> {
  const overdue: Array<[ExecutorHandle, number]> = [];
  for (const executor of executors) {
    if (executor.departure !== undefined) continue;
    const running = executor.running;
    const timeoutMs = running === undefined ? 0 : ledger.get(running)?.timeoutMs ?? 0;
    if (running !== undefined && timeoutMs > 0 && now - executor.runningSince > timeoutMs) overdue.push([executor, running]);
  }
  return overdue;
}
