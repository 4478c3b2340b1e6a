import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

const MiB = 1024 * 1024;

/**
 * Argument bandwidth: `tasks` tasks, each taking its own `mib`-MiB
 * Float64Array, of a function sent by value that returns only the length, so
 * the arrays cross client → controller → sg-worker → executor and nothing
 * large comes back. Timed from `addJob` (which encodes them) to
 * `waitForResult`; MiB of arguments per second.
 */
export function largeArgs(sg: ScatterGather, options: { tasks: number; mib: number; timeoutMs: number }): BenchCase {
  const length = (options.mib * MiB) / Float64Array.BYTES_PER_ELEMENT;
  const set: ScatterSet = Array.from({ length: options.tasks }, (_, i) => [[new Float64Array(length).fill(i)]]);
  const arrayLength = (x: Float64Array): number => x.length;

  async function once(tasks: ScatterSet): Promise<number> {
    const started = nowMs();
    const h = sg.addJob(tasks, { fn: arrayLength });
    const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const elapsed = nowMs() - started;
    checkResults('large-argument set', results, tasks.length, (value) => value === length);
    return elapsed;
  }

  return {
    key: 'ours.largeArgs',
    async setup() {
      await once(set);
    },
    async run() {
      const ms = await once(set);
      return { mibPerSec: (options.tasks * options.mib) / (ms / 1000) };
    },
    async close() {},
  };
}
