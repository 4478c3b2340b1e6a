import type { BenchCase } from '../bench-case.js';
import { freshClusterCase } from './bench-cluster.js';
import { echoSet, timeEchoSet } from './noop-throughput.js';

/**
 * A cold start, as a user meets it: each run starts a fresh
 * `localCluster({ servers, procs })`, times it to `ready()`, then times the
 * very first set of `tasks` × `echo(i)` through it (tasks/s from `addJob` to
 * the last result held), and closes it.
 */
export function freshCluster(options: { servers: number; procs: number; tasks: number; timeoutMs: number }): BenchCase {
  const set = echoSet(options.tasks);
  return freshClusterCase('ours.fresh', options, async (cluster) => ({
    readyMs: cluster.readyMs,
    firstSetTasksPerSec: await timeEchoSet(cluster.sg, set, options.timeoutMs),
  }));
}
