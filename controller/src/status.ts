import type { Controller } from './controller.js';

/** The contract's ClusterStatus, from what the controller knows now. */
export function buildStatus(controller: Controller): object {
  const { book } = controller;
  return {
    controller: { pid: process.pid },
    servers: controller.servers.map((s) => ({ url: s.url, alive: s.alive, executors: s.alive ? s.usable : 0 })),
    executors: controller.servers.filter((s) => s.alive).flatMap((s) => s.executors.map(([pid, busy]) => ({ pid, server: s.url, busy }))),
    queued: book.queued,
    running: controller.servers.reduce((n, s) => n + s.inFlight.size, 0),
    done: book.done,
    failed: book.failed,
  };
}
