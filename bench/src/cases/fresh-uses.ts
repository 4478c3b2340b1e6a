import type { BenchCase } from '../bench-case.js';
import { closeCaseCluster, startBenchCluster } from './bench-cluster.js';
import { timeHistogramSet, type HistogramSetOptions } from './histogram-set.js';
import { measureRoundTrips } from './round-trip.js';

/**
 * What a user meets before V8 has optimized anything: each run starts a fresh
 * `localCluster({ servers, procs })`, measures its first `roundTrips` round
 * trips, then times its first histogram set, and closes it.
 */
export function freshUses(options: { servers: number; procs: number; roundTrips: number; histogram: HistogramSetOptions }): BenchCase {
  async function once(): Promise<{ p50Us: number; p99Us: number; histogramMs: number }> {
    const cluster = await startBenchCluster(options);
    try {
      const trips = await measureRoundTrips(cluster.sg, options.roundTrips, options.histogram.timeoutMs);
      return { ...trips, histogramMs: await timeHistogramSet(cluster.sg, options.histogram) };
    } finally {
      await closeCaseCluster(cluster);
    }
  }

  return {
    key: 'ours.freshUses',
    async setup() {
      await once();
    },
    run: once,
    async close() {},
  };
}
