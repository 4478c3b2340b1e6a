import { samplers } from './samplers.js';

export interface HistogramOptions {
  distribution?: string;
  loc?: number;
  scale?: number;
  bins?: number;
}

export interface Histogram {
  /** `bins` counts that sum to `size`. */
  counts: number[];
  /** `bins + 1` bin edges, from the smallest sample to the largest. */
  edges: number[];
}

/** Draws `size` samples and bins them into `bins` equal-width bins (the seed's TimeSeries randomize + histogram). */
export function histogram(size: number, options: HistogramOptions = {}): Histogram {
  const { distribution = 'normal', loc = 1, scale = 1, bins = 50 } = options;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`histogram: size must be a whole number ≥ 0, not ${String(size)}`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a whole number ≥ 1, not ${String(bins)}`);
  const sample = samplers[distribution];
  if (sample === undefined) throw new RangeError(`histogram: unknown distribution '${distribution}'; use one of ${Object.keys(samplers).join(', ')}`);

  const values = new Float64Array(size);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = sample(loc, scale);
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (size === 0) [min, max] = [loc, loc];
  if (min === max) [min, max] = [min - 0.5, max + 0.5];

  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < size; i++) {
    const bin = Math.min(bins - 1, Math.floor(((values[i] as number) - min) / width));
    counts[bin] = (counts[bin] as number) + 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  return { counts, edges };
}
