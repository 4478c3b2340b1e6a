import type { SetProgress } from '../client/api-types.js';
import type { SetRow } from './snapshot-types.js';

/** The rate is measured over about this long. */
const RATE_SPAN_MS = 5_000;
/** The page lists at most this many sets: every unfinished one first, then the latest finished. */
const MAX_ROWS = 12;

/** Each set's progress, rate and time left, from samples of its counts a few times a second. */
export class SetRates {
  private readonly samples = new Map<number, Array<[at: number, finished: number]>>();

  rows(progress: SetProgress[], now: number): SetRow[] {
    const unfinished = progress.filter((p) => !p.complete);
    const finished = progress.filter((p) => p.complete).slice(-Math.max(0, MAX_ROWS - unfinished.length));
    for (const id of this.samples.keys()) if (!unfinished.some((p) => p.handle.id === id)) this.samples.delete(id);
    return [...unfinished.slice(0, MAX_ROWS), ...finished.reverse()].map((p) => this.row(p, now));
  }

  private row(p: SetProgress, now: number): SetRow {
    const { id, fn, size } = p.handle;
    const count = p.done + p.failed;
    const row: SetRow = { id, fn, size, done: p.done, failed: p.failed, rate: 0, eta: null, startedAt: p.startedAt };
    if (p.finishedAt !== undefined) {
      row.finishedAt = p.finishedAt;
      row.rate = size / Math.max(0.001, (p.finishedAt - p.startedAt) / 1000);
      row.eta = 0;
      return row;
    }
    const history = this.samples.get(id) ?? [[p.startedAt, 0]];
    history.push([now, count]);
    while (history.length > 2 && now - (history[1] as [number, number])[0] >= RATE_SPAN_MS) history.shift();
    this.samples.set(id, history);
    const [since, then] = history[0] as [number, number];
    row.rate = now > since ? (count - then) / ((now - since) / 1000) : 0;
    row.eta = row.rate > 0 ? (size - count) / row.rate : null;
    return row;
  }
}
