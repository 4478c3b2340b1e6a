/**
 * How many tasks one executor should have in hand (one running, the rest
 * prefetched). Short tasks get a deep window so the executor never idles for a
 * round trip; long ones get one, so a slow task never holds others back.
 * Both the controller (per server) and the worker server (per executor) use it.
 */
export interface WindowPolicy {
  observe(ms: number): void;
  window(): number;
  /**
   * Tasks an executor may hold beyond its window (given it by its server, whose
   * share from the controller grows alike), so that an executor that finishes a
   * task starts the next at once instead of waiting a round trip for it.
   */
  spare(): number;
}

/**
 * Tasks this short get a spare (see WindowPolicy.spare): a round trip is a
 * noticeable share of them, while holding one back costs the end of a set at
 * most this long on one executor.
 */
const SPARE_MAX_MS = 250;

/** Keeps about `targetMs` of work in hand per executor, from a moving average of task run times. */
export class RuntimeWindow implements WindowPolicy {
  private averageMs: number | undefined;

  constructor(
    private readonly targetMs = 2,
    private readonly maxWindow = 256,
    private readonly initialWindow = 2,
  ) {}

  /** A run time that is not a finite number ≥ 0 (a peer's bug or garbage) is ignored: one NaN would poison the average for good. */
  observe(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) return;
    this.averageMs = this.averageMs === undefined ? ms : this.averageMs * 0.9 + ms * 0.1;
  }

  spare(): number {
    return this.averageMs !== undefined && this.averageMs <= SPARE_MAX_MS ? 1 : 0;
  }

  window(): number {
    if (this.averageMs === undefined) return this.initialWindow;
    return Math.max(1, Math.min(this.maxWindow, Math.ceil(this.targetMs / Math.max(this.averageMs, 0.001))));
  }
}
