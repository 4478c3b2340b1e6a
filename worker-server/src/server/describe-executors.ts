import type { ExecutorInfo } from '@scattergather/protocol';
import type { ExecutorHandle } from './executor-handle.js';
import type { ProcessUsage } from './process-usage.js';
import type { TaskLedger } from './task-ledger.js';

/**
 * Each executor as a controller's status sees it: pid, busy, RSS and CPU
 * (sampled at most once a second), and the id `owner` gave the task it runs
 * (-1 when it runs none of that controller's).
 */
export function describeExecutors(executors: ExecutorHandle[], ledger: TaskLedger, usage: ProcessUsage, owner: Buffer): ExecutorInfo[] {
  usage.refresh(executors.map((e) => e.pid));
  return executors.map((e) => {
    const running = e.running === undefined ? undefined : ledger.get(e.running);
    const { rss, cpu } = usage.get(e.pid) ?? { rss: -1, cpu: -1 };
    return [e.pid, e.tasks.size > 0, rss, cpu, running?.owner === owner ? running.remoteId : -1];
  });
}
