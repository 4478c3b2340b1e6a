import type { ScatterGather, ScatterSet } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { median } from '../stats.js';
import { forAtLeast, nowMs } from '../timing.js';
import { CaseClusterHandle, type CaseCluster } from './case-cluster.js';
import { checkResults } from './check-results.js';

interface Histogram { counts: number[]; edges: number[] }

export interface HistogramSetOptions { tasks: number; size: number; timeoutMs: number }

/** The seed's workbook set, once: `tasks` × `histogram(size, { distribution: 'normal', loc: 1, scale: 1, bins: 10 })`, wall time in ms. */
export async function timeHistogramSet(sg: ScatterGather, options: HistogramSetOptions): Promise<number> {
  const bins = 10;
  const set: ScatterSet = Array.from({ length: options.tasks }, () => [[options.size, { distribution: 'normal', loc: 1, scale: 1, bins }]]);
  const started = nowMs();
  const h = sg.addJob(set, { fn: 'histogram' });
  const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
  const elapsed = nowMs() - started;
  checkResults('histogram set', results, set.length, (value) => {
    const { counts } = value as Histogram;
    return Array.isArray(counts) && counts.length === bins && counts.reduce((a, b) => a + b, 0) === options.size;
  });
  sg.forget(h);
  return elapsed;
}

/**
 * The histogram set on a warm cluster: `warmUpSets` unmeasured sets first (the
 * `freshUses` case reports a cold one); each run then makes unmeasured ones
 * for `rewarmMs` (the cluster sat idle while the other cases ran: see
 * roundTrip) and reports the median of `setsPerRun` (a 4 ms set is at the
 * mercy of one stray wake-up).
 */
export function histogramSet(key: string, where: CaseCluster, options: HistogramSetOptions & { warmUpSets: number; rewarmMs: number; setsPerRun: number }): BenchCase {
  const cluster = new CaseClusterHandle(where);
  return {
    key,
    async setup() {
      await cluster.open();
      for (let i = 0; i < options.warmUpSets; i++) await timeHistogramSet(cluster.sg, options);
    },
    async run() {
      await forAtLeast(options.rewarmMs, () => timeHistogramSet(cluster.sg, options));
      const times: number[] = [];
      for (let i = 0; i < options.setsPerRun; i++) times.push(await timeHistogramSet(cluster.sg, options));
      return { wallMs: median(times) };
    },
    close: () => cluster.close(),
  };
}
