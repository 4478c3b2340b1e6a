import type { ExecutorInfo } from '@scattergather/protocol';
import type { Controller } from './controller.js';
import type { TaskBook } from './dispatch/task-book.js';

/** The contract's ClusterStatus, from what the controller knows now. */
export function buildStatus(controller: Controller): object {
  const { book } = controller;
  return {
    controller: { pid: process.pid },
    servers: controller.servers.map((s) => ({ url: s.url, alive: s.alive, executors: s.alive ? s.usable : 0 })),
    executors: controller.servers.filter((s) => s.alive).flatMap((s) => s.executors.map((info) => describeExecutor(info, s.url, book))),
    queued: book.queued,
    running: controller.servers.reduce((n, s) => n + s.inFlight.size, 0),
    done: book.done,
    failed: book.failed,
  };
}

/** One executor of the status: RSS, CPU and the task it runs when its server said (-1 on the wire means it could not). */
function describeExecutor([pid, busy, rss = -1, cpu = -1, id = -1]: ExecutorInfo, server: string, book: TaskBook): object {
  const task = id < 0 ? undefined : book.tasks.get(id);
  return {
    pid, server, busy,
    ...(rss < 0 ? {} : { rss, cpu }),
    ...(task === undefined ? {} : { task: { set: task.set.id, index: task.index } }),
  };
}
