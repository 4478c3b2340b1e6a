import type { ScatterGather } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { percentile } from '../stats.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

/** Single-task round trip: `count` sequential one-task sets, each `addJob([[[i]]], { fn: echo })` then `waitForResult`; p50 and p99 in µs. */
export function roundTrip(sg: ScatterGather, options: { count: number; timeoutMs: number }): BenchCase {
  async function once(count: number): Promise<number[]> {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = nowMs();
      const h = sg.addJob([[[i]]], { fn: 'echo' });
      const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
      samples.push((nowMs() - started) * 1000);
      checkResults('one-task set', results, 1, (value) => value === i);
    }
    return samples;
  }

  return {
    key: 'ours.roundTrip',
    async setup() {
      await once(100);
    },
    async run() {
      const samples = await once(options.count);
      return { p50Us: percentile(samples, 50), p99Us: percentile(samples, 99) };
    },
    async close() {},
  };
}
