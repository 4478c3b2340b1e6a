import type { ExecutorInfo } from '@scattergather/protocol';
import type { ControllerParts } from './controller-parts.js';
import type { FlightLedger } from './dispatch/flight-ledger.js';

/** The contract's ClusterStatus, from what the controller knows now. */
export function buildStatus({ book, fleet }: ControllerParts): object {
  const live = fleet.live();
  return {
    controller: { pid: process.pid },
    servers: fleet.links.map((s) => ({ url: s.url, alive: s.health.alive, executors: s.health.alive ? s.usable : 0 })),
    executors: live.flatMap((s) => s.health.executors.map((info) => describeExecutor(info, s.url, s.index, book.flights))),
    queued: book.queued,
    running: book.flights.total,
    done: book.done,
    failed: book.failed,
    refs: [...book.refs.values()].map((r) => ({ id: r.id, size: r.size, state: r.state, servers: [...r.holders].map((i) => fleet.links[i]?.url ?? '') })),
    feeds: book.feeds.edges(),
  };
}

/** One executor of the status: RSS, CPU and the task it runs when its server said (-1 on the wire means it could not). */
function describeExecutor([pid, busy, rss = -1, cpu = -1, wireId = -1]: ExecutorInfo, server: string, index: number, flights: FlightLedger): object {
  const task = wireId < 0 ? undefined : flights.find(index, wireId);
  return {
    pid, server, busy,
    ...(rss < 0 ? {} : { rss, cpu }),
    ...(task === undefined ? {} : { task: { set: task.set.id, index: task.index } }),
  };
}
