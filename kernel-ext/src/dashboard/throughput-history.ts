import type { SeriesPoint } from './snapshot-types.js';

/** Points kept: five minutes at the dashboard's tick. */
const KEPT = 750;

/** Tasks finished per second and the status round trip, one point per tick. */
export class ThroughputHistory {
  private points: Array<{ point: SeriesPoint; generation: number }> = [];
  private last: { at: number; finished: number } | undefined;

  /** Notes `finished` (a running count of results) at `at`, with the round trip measured this tick (null: none). */
  record(at: number, finished: number, latency: number | null, generation: number): void {
    const last = this.last;
    this.last = { at, finished };
    if (last === undefined || at <= last.at) return;
    this.points.push({ point: [at, (finished - last.finished) / ((at - last.at) / 1000), latency], generation });
    if (this.points.length > 2 * KEPT) this.points = this.points.slice(-KEPT);
  }

  after(generation: number): SeriesPoint[] {
    return this.points.slice(-KEPT).filter((p) => p.generation > generation).map((p) => p.point);
  }
}
