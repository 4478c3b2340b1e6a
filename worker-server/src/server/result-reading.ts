import type { ExecutorHandle } from './executor-handle.js';

/** While executors hold tasks, their pipes are read this often at first… */
const FIRST_DELAY_MS = 1;
/** …and less often while nothing comes, down to this. */
const MAX_DELAY_MS = 16;

/**
 * When the server reads its executors' result pipes: at once when one rings
 * the doorbell (it paused: its queue is empty, or it awaits a task), every few ms
 * while any executor has tasks in hand (a burst of short tasks is read in
 * batches, not woken per result), and back to back while a large result is
 * halfway through the pipe.
 */
export class ResultReading {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private delayMs = FIRST_DELAY_MS;

  constructor(private readonly executors: () => Iterable<ExecutorHandle>) {}

  /** Reads now every pipe that can hold something (an executor's exit reads its own); then plans the next read. */
  readonly readNow = (): void => {
    this.cancel();
    let records = 0;
    // An executor holding no task has written nothing since its last read; an empty pipe's read costs a thrown EAGAIN.
    for (const executor of this.executors()) if (executor.tasks.size > 0 || executor.readingPartly) records += executor.readResults();
    let partly = false;
    let busy = false;
    for (const executor of this.executors()) {
      partly ||= executor.readingPartly;
      busy ||= executor.tasks.size > 0;
    }
    this.delayMs = records > 0 ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, this.delayMs * 2);
    if (partly) this.immediate = setImmediate(this.readNow);
    else if (busy) this.timer = setTimeout(this.readNow, this.delayMs);
  };

  /** Executors were given tasks: make sure a read is planned. */
  expect(): void {
    if (this.timer !== undefined || this.immediate !== undefined) return;
    this.delayMs = FIRST_DELAY_MS;
    this.timer = setTimeout(this.readNow, this.delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
