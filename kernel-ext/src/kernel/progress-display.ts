/**
 * Live progress bars: one `display_data` per set (shown again by `%gather`
 * under the same display id), then `update_display_data` as results arrive —
 * throttled, with at most one pending timer per set, never one per task — until
 * a final state. Updates keep flowing after the cell that started them returned.
 * A bar keeps only counts, and the registry drops it once its final state is
 * out, so `sg.forget(h)` frees a set's results whether or not it had a bar.
 */
import type { SetHandle, SetProgress } from '../client/api-types.js';
import type { WriteDisplayData } from './cell-context.js';
import { copyCounts, progressBundle, progressFacts, type ProgressCounts, type ProgressState } from './progress-view.js';
import type { SgClient } from './client-types.js';

export interface ProgressOptions {
  throttleMs: number;
  now?: () => number;
  /** The writer of the cell running now, if any: updates go out with it as parent, which every frontend (and nbclient) applies. */
  currentWriter?: () => WriteDisplayData | undefined;
}

export class ProgressDisplay {
  readonly displayId: string;
  private writer: WriteDisplayData | undefined;
  private latest: ProgressCounts;
  private lastSent = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private finalState: ProgressState | undefined;
  /** How many update_display_data messages were sent (for tests and measurements). */
  updates = 0;
  /** The last update went out while no cell ran; the next cell repeats it (nbclient drops updates of finished cells). */
  orphaned = false;

  constructor(
    private readonly client: SgClient,
    handle: SetHandle,
    session: string,
    private readonly options: ProgressOptions,
    /** Called once the final state is out: nothing is left to send. */
    private readonly onEnded: () => void,
  ) {
    this.displayId = `sg-progress-${session}-${handle.id}`;
    this.latest = copyCounts(client.progress(handle));
    if (this.latest.complete) this.finalState = 'complete';
    else this.unsubscribe = client.onProgress(handle, (p) => this.onProgress(p));
  }

  get finished(): boolean {
    return this.finalState !== undefined;
  }

  /** Shows the bar in the cell that owns `write` (a new output under this set's display id). */
  show(write: WriteDisplayData): void {
    this.writer ??= write;
    write({ data: this.bundle(), metadata: {}, transient: { display_id: this.displayId } }, false);
  }

  /** Ends the bar in `state` (e.g. 'cancelled' or 'lost') unless it already ended. */
  finish(state: ProgressState): void {
    if (this.finalState) return;
    try {
      this.latest = copyCounts(this.client.progress(this.latest.handle.id));
    } catch {
      // The client may be gone: keep the last known numbers.
    }
    this.finalState = this.latest.complete && state === 'lost' ? 'complete' : state;
    this.stop();
    this.send();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private onProgress(p: SetProgress): void {
    this.latest = copyCounts(p);
    if (p.complete) {
      this.finalState ??= 'complete';
      this.stop();
      this.send();
      return;
    }
    const wait = this.lastSent + this.options.throttleMs - this.now();
    if (wait <= 0) this.send();
    else this.timer ??= setTimeout(() => this.send(), wait).unref();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private bundle() {
    return progressBundle(progressFacts(this.latest, this.now(), this.finalState));
  }

  /** Sends the current state again (through the running cell). */
  resend(): void {
    this.send();
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSent = this.now();
    const current = this.options.currentWriter?.();
    const writer = current ?? this.writer;
    if (writer) {
      this.orphaned = current === undefined;
      this.updates++;
      writer({ data: this.bundle(), metadata: {}, transient: { display_id: this.displayId } }, true);
    }
    if (this.finalState && !this.orphaned) this.onEnded();
  }
}

/** The progress bars of the current cluster, by set id. */
export class ProgressRegistry {
  private readonly displays = new Map<number, ProgressDisplay>();
  private readonly session = Math.random().toString(36).slice(2, 8);

  constructor(private readonly options: ProgressOptions) {}

  /** The bar of set `h`, created (and subscribed) on first use; kept only while it has updates to send. */
  for(client: SgClient, h: SetHandle): ProgressDisplay {
    const id = h.id;
    const known = this.displays.get(id);
    if (known) return known;
    const d: ProgressDisplay = new ProgressDisplay(client, h, this.session, this.options, () => {
      // A cluster started since may number its sets alike: drop this bar, not a newer one.
      if (this.displays.get(id) === d) this.displays.delete(id);
    });
    if (!d.finished) this.displays.set(id, d);
    return d;
  }

  /** Repeats, through the cell now starting, the updates that went out while no cell ran. */
  flushOrphans(): void {
    for (const d of this.displays.values()) if (d.orphaned) d.resend();
  }

  get(id: number): ProgressDisplay | undefined {
    return this.displays.get(id);
  }

  /** Ends every running bar (the cluster went away) and drops them all. */
  finishAll(state: ProgressState): void {
    for (const d of this.displays.values()) d.finish(state);
    this.displays.clear();
  }
}
