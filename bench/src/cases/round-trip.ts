import type { ScatterGather } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { percentile } from '../stats.js';
import { forAtLeast, nowMs } from '../timing.js';
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
 * `rewarmMs` of unmeasured ones: the cluster sat idle while the other cases
 * ran, and these VMs' CPUs answer wake-ups slowly for a few hundred ms after
 * an idle spell (see README, "Performance").
 */
export function roundTrip(key: string, where: CaseCluster, options: { count: number; warmUp: number; rewarmMs: number; timeoutMs: number }): BenchCase {
  const cluster = new CaseClusterHandle(where);
  return {
    key,
    async setup() {
      await cluster.open();
      await measureRoundTrips(cluster.sg, options.warmUp, options.timeoutMs);
    },
    async run() {
      await forAtLeast(options.rewarmMs, () => measureRoundTrips(cluster.sg, 100, options.timeoutMs));
      return measureRoundTrips(cluster.sg, options.count, options.timeoutMs);
    },
    close: () => cluster.close(),
  };
}
