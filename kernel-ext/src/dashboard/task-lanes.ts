import type { StreamBar, StreamLane } from './snapshot-types.js';

/** How far back the task stream looks. */
export const STREAM_WINDOW_MS = 60_000;
/**
 * A bar shorter than this takes the next task of its set too: about a pixel of a minute-wide stream. It takes
 * another set's task only if it stays that short: sets running side by side are dealt task by task, and a bar
 * per set change was a bar per task; within a pixel its first task's colour is as true as any.
 */
const MIN_BAR_MS = 100;
/** Tasks further apart than this (an executor idle in between) never share a bar. */
const MAX_GAP_MS = 10;

/** A lane's name: the page joins the status's executors to their lanes by it. */
export function laneKey(server: string, pid: number): string {
  return `${server} ${pid}`;
}

interface Bar { id: number; start: number; end: number; set: number; tasks: number; failed: number; generation: number }
interface Lane extends StreamLane { key: number; bars: Bar[] }

/**
 * The last minute of tasks, one lane per executor. A result's run time and
 * arrival place its bar; bars of short tasks merge, so the count held stays
 * bounded (about WINDOW / MIN_BAR_MS per lane) whatever the task rate.
 */
export class TaskLanes {
  private readonly lanes = new Map<number, Lane>();
  private nextId = 1;
  private recent: Lane | undefined;

  /** Places one task that `pid` of server `server` finished at `now` after running `ms`. */
  add(server: number, pid: number, serverUrl: (index: number) => string, set: number, ok: boolean, ms: number, now: number, generation: number): void {
    if (pid < 0) return; // made by the controller (cancelled, lost): no executor ran it
    const key = server * 2 ** 22 + pid;
    // Results of one executor come in runs: most lookups are the previous lane again.
    let lane = this.recent?.key === key ? this.recent : this.lanes.get(key);
    if (lane === undefined) {
      const url = serverUrl(server);
      lane = { key, lane: laneKey(url, pid), server: url, pid, bars: [] };
      this.lanes.set(key, lane);
    }
    this.recent = lane;
    const last = lane.bars[lane.bars.length - 1];
    // Results come in batches: a task cannot have started before the previous one on its executor ended.
    const start = Math.max(now - ms, last?.end ?? -Infinity);
    const end = Math.max(start, now);
    const shortAndNear = last !== undefined && last.end - last.start < MIN_BAR_MS && start - last.end <= MAX_GAP_MS;
    if (shortAndNear && (last.set === set || end - last.start < MIN_BAR_MS)) {
      last.end = Math.max(last.end, now);
      last.tasks += 1;
      if (!ok) last.failed += 1;
      last.generation = generation;
      return;
    }
    lane.bars.push({ id: this.nextId++, start, end, set, tasks: 1, failed: ok ? 0 : 1, generation });
  }

  /** Forgets bars older than the window, and lanes left empty that are not in `live` (see laneKey). */
  prune(now: number, live: ReadonlySet<string>): void {
    for (const [key, lane] of this.lanes) {
      let old = 0;
      while (old < lane.bars.length && (lane.bars[old] as Bar).end < now - STREAM_WINDOW_MS) old++;
      if (old > 0) lane.bars.splice(0, old);
      if (lane.bars.length === 0 && !live.has(lane.lane)) {
        this.lanes.delete(key);
        if (this.recent === lane) this.recent = undefined;
      }
    }
  }

  rows(): StreamLane[] {
    return [...this.lanes.values()].map(({ lane, server, pid }) => ({ lane, server, pid }));
  }

  /** Bars placed or grown after `generation`. */
  barsAfter(generation: number): StreamBar[] {
    const bars: StreamBar[] = [];
    for (const lane of this.lanes.values()) {
      for (const b of lane.bars) if (b.generation > generation) bars.push([b.id, lane.lane, b.start, b.end, b.set, b.tasks, b.failed]);
    }
    return bars;
  }
}
