/** Results leave in batches of at most this many… */
const FLUSH_COUNT = 512;
/** …or this many ms after the first one of a batch arrived. */
const FLUSH_MS = 2;

/**
 * When the results gathered from the executors go to their controllers. Each
 * executor reports every result the moment its task ends (so none is held
 * behind a running task there); batching happens here instead, where holding
 * costs nothing but latency: at once when no executor has work in hand (a lone
 * task's round trip is not delayed), else in batches during a burst.
 */
export class ResultBatching {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly flush: () => void) {}

  /** At the end of each turn: `waiting` results gathered, `busy` if an executor still has tasks in hand. */
  endTurn(waiting: number, busy: boolean): void {
    if (waiting === 0) return;
    if (!busy || waiting >= FLUSH_COUNT) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), FLUSH_MS);
  }

  /** Sends what is gathered now (before a pong, before handing tasks back). */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
