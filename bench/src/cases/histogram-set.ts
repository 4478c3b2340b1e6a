import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import { checkResults } from './check-results.js';

interface Histogram { counts: number[]; edges: number[] }

/** The seed's workbook set: `tasks` × `histogram(size, { distribution: 'normal', loc: 1, scale: 1, bins: 10 })`, wall time in ms. */
export function histogramSet(sg: ScatterGather, options: { tasks: number; size: number; timeoutMs: number }): BenchCase {
  const bins = 10;
  const set: ScatterSet = Array.from({ length: options.tasks }, () => [[options.size, { distribution: 'normal', loc: 1, scale: 1, bins }]]);

  async function once(): Promise<number> {
    const started = nowMs();
    const h = sg.addJob(set, { fn: 'histogram' });
    const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const elapsed = nowMs() - started;
    checkResults('histogram set', results, set.length, (value) => {
      const { counts } = value as Histogram;
      return Array.isArray(counts) && counts.length === bins && counts.reduce((a, b) => a + b, 0) === options.size;
    });
    return elapsed;
  }

  return {
    key: 'ours.histogram',
    async setup() {
      await once();
    },
    async run() {
      return { wallMs: await once() };
    },
    async close() {},
  };
}
