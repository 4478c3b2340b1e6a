import { histogram } from '@scattergather/worker-server';
import type { BenchCase } from '../bench-case.js';
import { median } from '../stats.js';
import { nowMs } from '../timing.js';

/**
 * The seed's histogram set computed serially in the bench process by the very
 * function the executors run: no ZeroMQ, no processes. Divided by the number of
 * executors it is the wall time a perfect scheduler would reach.
 */
export function inProcessHistogram(options: { tasks: number; size: number; setsPerRun: number }): BenchCase {
  const params = { distribution: 'normal', loc: 1, scale: 1, bins: 10 };
  let sink = 0;

  function once(): number {
    const started = nowMs();
    for (let i = 0; i < options.tasks; i++) sink += histogram(options.size, params).counts.length;
    return nowMs() - started;
  }

  return {
    key: 'local.histogram',
    async setup() {
      once();
    },
    async run() {
      const times: number[] = [];
      for (let i = 0; i < options.setsPerRun; i++) times.push(once());
      const wallMs = median(times);
      if (sink === 0) throw new Error('histogram returned no bins');
      return { wallMs };
    },
    async close() {},
  };
}
