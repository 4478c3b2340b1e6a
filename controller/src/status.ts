import type { ControllerParts } from './controller-parts.js';

/** The contract's ClusterStatus, from what the controller knows now. */
export function buildStatus({ book, fleet }: ControllerParts): object {
  const live = fleet.live();
  return {
    controller: { pid: process.pid },
    servers: fleet.links.map((s) => ({ url: s.url, alive: s.health.alive, executors: s.health.alive ? s.usable : 0 })),
    executors: live.flatMap((s) => s.health.executors.map(([pid, busy]) => ({ pid, server: s.url, busy }))),
    queued: book.queued,
    running: book.flights.total,
    done: book.done,
    failed: book.failed,
    refs: [...book.refs.values()].map((r) => ({ id: r.id, size: r.size, state: r.state, servers: [...r.holders].map((i) => fleet.links[i]?.url ?? '') })),
    feeds: book.feeds.edges(),
  };
}
