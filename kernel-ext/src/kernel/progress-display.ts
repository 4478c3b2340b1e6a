/**
 * Live progress bars: one `display_data` per set (shown again by `%gather`
 * under the same display id), then `update_display_data` as results arrive —
 * throttled, with at most one pending timer per set, never one per task — until
 * a final state. Updates keep flowing after the cell that started them returned.
 */
import type { SetHandle, SetProgress } from '../client/api-types.js';
import type { WriteDisplayData } from './cell-context.js';
import { progressBundle, progressFacts, type ProgressState } from './progress-view.js';
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
  private latest: SetProgress;
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
    readonly handle: SetHandle,
    session: string,
    private readonly options: ProgressOptions,
  ) {
    this.displayId = `sg-progress-${session}-${handle.id}`;
    this.latest = client.progress(handle);
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
      this.latest = this.client.progress(this.handle);
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
    this.latest = p;
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
    if (!writer) return;
    this.orphaned = current === undefined;
    this.updates++;
    writer({ data: this.bundle(), metadata: {}, transient: { display_id: this.displayId } }, true);
  }
}

/** The progress bars of the current cluster, by set id. */
export class ProgressRegistry {
  private readonly displays = new Map<number, ProgressDisplay>();
  private readonly session = Math.random().toString(36).slice(2, 8);

  constructor(private readonly options: ProgressOptions) {}

  /** The bar of set `h`, created (and subscribed) on first use. */
  for(client: SgClient, h: SetHandle): ProgressDisplay {
    let d = this.displays.get(h.id);
    if (!d) {
      d = new ProgressDisplay(client, h, this.session, this.options);
      this.displays.set(h.id, d);
    }
    return d;
  }

  /** Repeats, through the cell now starting, the updates that went out while no cell ran. */
  flushOrphans(): void {
    for (const d of this.displays.values()) if (d.orphaned) d.resend();
  }

  get(id: number): ProgressDisplay | undefined {
    return this.displays.get(id);
  }

  /** Ends every running bar (the cluster went away) and forgets them all. */
  finishAll(state: ProgressState): void {
    for (const d of this.displays.values()) d.finish(state);
    this.displays.clear();
  }
}
