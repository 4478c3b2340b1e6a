import { performance } from 'node:perf_hooks';
import type { ClientResultItem } from '@scattergather/protocol';
import type { ClusterStatus, SetProgress } from '../client/api-types.js';
import type { DashboardSource } from './dashboard-source.js';
import { keptByServer } from './kept-by-server.js';
import { RecentErrors } from './recent-errors.js';
import { SetRates } from './set-rates.js';
import type { DashboardSnapshot } from './snapshot-types.js';
import { laneKey, STREAM_WINDOW_MS, TaskLanes } from './task-lanes.js';
import { ThroughputHistory } from './throughput-history.js';

/**
 * Everything the page shows, gathered in the client: results as they arrive
 * (a few numbers per task, no object), the cluster's status and each set's
 * progress once per tick. Each tick is a generation: a page is sent what
 * changed after the last generation it saw.
 */
export class DashboardFeed {
  private readonly lanes = new TaskLanes();
  private readonly rates = new SetRates();
  private readonly history = new ThroughputHistory();
  private readonly errors = new RecentErrors();
  private readonly untap: () => void;
  private finished = 0;
  private status: ClusterStatus | null = null;
  /** Bumped after each tick's snapshots are taken; what arrives later belongs to the next one. */
  generation = 1;

  constructor(private readonly source: DashboardSource) {
    this.untap = source.tapResults((items, serverUrl) => this.take(items, serverUrl));
  }

  /** Samples the rates; with `watched` (a page is open), the cluster's status too, timing its round trip. */
  async sample(watched: boolean): Promise<void> {
    let latency: number | null = null;
    if (watched) {
      const started = performance.now();
      this.status = await this.source.status().catch(() => this.status);
      latency = performance.now() - started;
    }
    const now = Date.now();
    this.history.record(now, this.finished, latency, this.generation);
    this.lanes.prune(now, new Set(this.status?.executors.map((e) => laneKey(e.server, e.pid)) ?? []));
  }

  /** What a page that last saw `generation` needs now (0: everything). */
  snapshot(generation: number): DashboardSnapshot {
    const now = Date.now();
    const progress = this.source.sets().map((h) => this.source.progress(h));
    const byId = (set: number): SetProgress | undefined => progress.find((p) => p.handle.id === set);
    const kept = keptByServer(this.status?.refs ?? []);
    return {
      now,
      windowMs: STREAM_WINDOW_MS,
      status: this.status,
      lanes: this.lanes.rows(),
      bars: this.lanes.barsAfter(generation),
      sets: this.rates.rows(progress, now),
      series: this.history.after(generation),
      errors: this.errors.after(generation, byId),
      modules: this.source.modules(),
      ...(kept.length > 0 ? { kept } : {}),
    };
  }

  close(): void {
    this.untap();
  }

  private take(items: readonly ClientResultItem[], serverUrl: (index: number) => string): void {
    const now = Date.now();
    this.finished += items.length;
    // Indexed reads, not destructuring: this runs for every result, at up to hundreds of thousands a second.
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as ClientResultItem;
      const ms = item[7];
      this.lanes.add(item[4], item[5], serverUrl, item[0], item[2], typeof ms === 'number' && ms > 0 ? ms : 0, now, this.generation);
      if (!item[2]) this.errors.add(item[0], item[1], now, this.generation);
    }
  }
}
