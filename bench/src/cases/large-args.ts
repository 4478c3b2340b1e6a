import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

const MiB = 1024 * 1024;

/**
 * Argument bandwidth: `tasks` tasks, each taking its own `mib`-MiB
 * Float64Array, of a function sent by value that returns its sum (the peers'
 * definition), so the arrays cross client → controller → sg-worker → executor,
 * are read there, and nothing large comes back. Timed from `addJob` (which encodes them) to
 * `waitForResult`; MiB of arguments per second.
 */
export function largeArgs(sg: ScatterGather, options: { tasks: number; mib: number; timeoutMs: number }): BenchCase {
  const length = (options.mib * MiB) / Float64Array.BYTES_PER_ELEMENT;
  const set: ScatterSet = Array.from({ length: options.tasks }, (_, i) => [[new Float64Array(length).fill(i)]]);
  const sum = (x: Float64Array): number => {
    let total = 0;
    for (let i = 0; i < x.length; i++) total += x[i] as number;
    return total;
  };

  async function once(tasks: ScatterSet): Promise<number> {
    const started = nowMs();
    const h = sg.addJob(tasks, { fn: sum });
    const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const elapsed = nowMs() - started;
    // Task i's array holds i everywhere: its sum is exact in a double.
    checkResults('large-argument set', results, tasks.length, (value, i) => value === i * length);
    sg.forget(h);
    return elapsed;
  }

  return {
    key: 'ours.largeArgs',
    async setup() {
      await once(set.slice(0, 16));
    },
    async run() {
      const ms = await once(set);
      return { mibPerSec: (options.tasks * options.mib) / (ms / 1000) };
    },
    async close() {},
  };
}
