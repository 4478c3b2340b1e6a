import type { FnRef, Message, TaskItem } from '@scattergather/protocol';
import type { ExecutorHandle } from './executor-handle.js';
import type { TaskLedger } from './task-ledger.js';

/**
 * Gives each ready executor queued tasks up to `window`, one at a time round
 * the pool so that a short queue spreads over every executor. Returns each
 * executor's share as one `run` message.
 */
export function assignTasks(ledger: TaskLedger, executors: Iterable<ExecutorHandle>, window: number): Map<ExecutorHandle, Message<'run'>> {
  const messages = new Map<ExecutorHandle, Message<'run'>>();
  const { queue } = ledger;
  if (queue.length === 0) return messages;
  const ready = [...executors].filter((e) => e.serving && e.tasks.size < window);
  const shares = new Map<ExecutorHandle, number[]>();
  while (queue.length > 0 && ready.length > 0) {
    for (let i = 0; i < ready.length && queue.length > 0; i++) {
      const executor = ready[i] as ExecutorHandle;
      const id = queue.shift() as number;
      if (ledger.get(id) === undefined) continue;
      if (executor.tasks.size === 0) executor.runningSince = Date.now();
      executor.tasks.add(id);
      const share = shares.get(executor);
      if (share === undefined) shares.set(executor, [id]);
      else share.push(id);
      if (executor.tasks.size >= window) ready.splice(i--, 1);
    }
  }
  for (const [executor, ids] of shares) messages.set(executor, runMessage(ledger, ids));
  return messages;
}

function runMessage(ledger: TaskLedger, ids: number[]): Message<'run'> {
  const fns: FnRef[] = [];
  const fnIndex = new Map<FnRef, number>();
  const tasks: TaskItem[] = [];
  for (const id of ids) {
    const task = ledger.get(id);
    if (task === undefined) continue;
    let index = fnIndex.get(task.fn);
    if (index === undefined) {
      index = fns.push(task.fn) - 1;
      fnIndex.set(task.fn, index);
    }
    tasks.push([id, index, task.args, task.timeoutMs]);
  }
  return { t: 'run', fns, tasks };
}
