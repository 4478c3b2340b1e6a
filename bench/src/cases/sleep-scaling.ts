import type { ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { closeCaseCluster, startBenchCluster, type BenchCluster } from './bench-cluster.js';
import { checkResults } from './check-results.js';

/**
 * Sleep scaling: `tasks` × `sleep(ms)` on one server of `executors` executors,
 * a localCluster of its own. Efficiency is the ideal time (tasks × ms /
 * executors) over the time from `addJob` to the last result held.
 */
export function sleepScaling(options: { tasks: number; ms: number; executors: number; timeoutMs: number }): BenchCase {
  let cluster: BenchCluster | undefined;
  const set: ScatterSet = Array.from({ length: options.tasks }, () => [[options.ms]]);

  async function once(tasks: ScatterSet): Promise<number> {
    if (cluster === undefined) throw new Error('not set up');
    const started = nowMs();
    const h = cluster.sg.addJob(tasks, { fn: 'sleep' });
    const results = await cluster.sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const elapsed = nowMs() - started;
    checkResults('sleep set', results, tasks.length, (value) => value === options.ms);
    return (100 * ((tasks.length * options.ms) / options.executors)) / elapsed;
  }

  return {
    key: 'ours.sleepScaling',
    async setup() {
      cluster = await startBenchCluster({ servers: 1, procs: options.executors });
      await once(set.slice(0, options.executors * 4));
    },
    async run() {
      return { efficiencyPct: await once(set) };
    },
    async close() {
      if (cluster !== undefined) await closeCaseCluster(cluster);
    },
  };
}
