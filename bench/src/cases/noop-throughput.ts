import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

/**
 * No-op tasks per second through the whole path (client → controller →
 * sg-worker → executor and back): one set of `tasks` × `echo(i)`, timed from
 * `addJob` (which encodes the set) to `waitForResult` resolving.
 */
export function noopThroughput(sg: ScatterGather, options: { tasks: number; timeoutMs: number; key?: string }): BenchCase {
  const set: ScatterSet = Array.from({ length: options.tasks }, (_, i) => [[i]]);

  async function once(tasks: ScatterSet): Promise<number> {
    const started = nowMs();
    const h = sg.addJob(tasks, { fn: 'echo' });
    const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const elapsed = nowMs() - started;
    checkResults('echo set', results, tasks.length, (value, i) => value === i);
    return elapsed;
  }

  return {
    key: options.key ?? 'ours.noop',
    async setup() {
      // A full-size set: the first ones through a fresh cluster are markedly slower (JIT, the controller's dispatch window).
      await once(set);
    },
    async run() {
      const ms = await once(set);
      return { tasksPerSec: options.tasks / (ms / 1000) };
    },
    async close() {},
  };
}
