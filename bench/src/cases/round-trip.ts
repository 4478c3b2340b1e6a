import type { ScatterGather } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { percentile } from '../stats.js';
import { nowMs } from '../timing.js';
import { CaseClusterHandle, type CaseCluster } from './case-cluster.js';
import { checkResults } from './check-results.js';

/** `count` sequential one-task sets, each `addJob([[[i]]], { fn: echo })` then `waitForResult`; p50 and p99 in µs. */
export async function measureRoundTrips(sg: ScatterGather, count: number, timeoutMs: number): Promise<{ p50Us: number; p99Us: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = nowMs();
    const h = sg.addJob([[[i]]], { fn: 'echo' });
    const results = await sg.waitForResult(h, { timeoutMs });
    samples.push((nowMs() - started) * 1000);
    checkResults('one-task set', results, 1, (value) => value === i);
    sg.forget(h);
  }
  return { p50Us: percentile(samples, 50), p99Us: percentile(samples, 99) };
}

/**
 * Single-task round trip on a warm cluster: `warmUp` unmeasured round trips
 * first (V8 optimizes this path only after a few thousand; the `freshUses`
 * case reports the cold ones), then each run measures `count` right after
 * `rewarm` unmeasured ones (the cluster sat idle while the other cases ran).
 */
export function roundTrip(key: string, where: CaseCluster, options: { count: number; warmUp: number; rewarm: number; timeoutMs: number }): BenchCase {
  const cluster = new CaseClusterHandle(where);
  return {
    key,
    async setup() {
      await cluster.open();
      await measureRoundTrips(cluster.sg, options.warmUp, options.timeoutMs);
    },
    async run() {
      await measureRoundTrips(cluster.sg, options.rewarm, options.timeoutMs);
      return measureRoundTrips(cluster.sg, options.count, options.timeoutMs);
    },
    close: () => cluster.close(),
  };
}
