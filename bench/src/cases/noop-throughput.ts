import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

/** A set of `tasks` × `echo(i)`. */
export function echoSet(tasks: number): ScatterSet {
  return Array.from({ length: tasks }, (_, i) => [[i]]);
}

/** Runs `set` (see echoSet) and returns its tasks/s, timed from `addJob` (which encodes the set) to `waitForResult` resolving. */
export async function timeEchoSet(sg: ScatterGather, set: ScatterSet, timeoutMs: number): Promise<number> {
  const started = nowMs();
  const h = sg.addJob(set, { fn: 'echo' });
  const results = await sg.waitForResult(h, { timeoutMs });
  const elapsed = nowMs() - started;
  checkResults('echo set', results, set.length, (value, i) => value === i);
  sg.forget(h);
  return set.length / (elapsed / 1000);
}

/**
 * No-op tasks per second through the whole path (client → controller →
 * sg-worker → executor and back) on a warm cluster: one set of `tasks` × `echo(i)`.
 */
export function noopThroughput(sg: ScatterGather, options: { tasks: number; timeoutMs: number; key?: string }): BenchCase {
  const set = echoSet(options.tasks);
  return {
    key: options.key ?? 'ours.noop',
    async setup() {
      // A full-size set: the first ones through a fresh cluster are markedly slower (JIT, the controller's dispatch window).
      await timeEchoSet(sg, set, options.timeoutMs);
    },
    async run() {
      return { tasksPerSec: await timeEchoSet(sg, set, options.timeoutMs) };
    },
    async close() {},
  };
}
