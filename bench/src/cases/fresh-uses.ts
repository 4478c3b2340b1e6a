import type { BenchCase } from '../bench-case.js';
import { freshClusterCase } from './bench-cluster.js';
import { timeHistogramSet, type HistogramSetOptions } from './histogram-set.js';
import { measureRoundTrips } from './round-trip.js';

/**
 * What a user meets before V8 has optimized anything: each run starts a fresh
 * `localCluster({ servers, procs })`, measures its first `roundTrips` round
 * trips, then times its first histogram set, and closes it.
 */
export function freshUses(options: { servers: number; procs: number; roundTrips: number; histogram: HistogramSetOptions }): BenchCase {
  return freshClusterCase('ours.freshUses', options, async ({ sg }) => {
    const trips = await measureRoundTrips(sg, options.roundTrips, options.histogram.timeoutMs);
    return { ...trips, histogramMs: await timeHistogramSet(sg, options.histogram) };
  });
}
