import type { SetHandle, SetProgress, TaskResult } from './api-types.js';

type Listener = (progress: SetProgress) => void;
type OutputListener = (index: number, text: string) => void;

/** One set as the client holds it: results in input order, arrival order, and who waits on it. */
export class SetEntry {
  readonly results: unknown[];
  /** Indexes in completion order, for results(h). */
  readonly arrivals: number[] = [];
  readonly oks: boolean[];
  /** What each task printed ('' for nothing, or not arrived yet). */
  readonly outputs: string[];
  done = 0;
  failed = 0;
  /** Its results in the store's unpolled list. */
  unpolled = 0;
  readonly startedAt = Date.now();
  finishedAt: number | undefined;
  readonly listeners = new Set<Listener>();
  readonly outputListeners = new Set<OutputListener>();
  wakers: Array<() => void> = [];

  constructor(readonly handle: SetHandle) {
    this.results = new Array<unknown>(handle.size);
    this.oks = new Array<boolean>(handle.size);
    this.outputs = new Array<string>(handle.size).fill('');
  }

  get complete(): boolean {
    return this.done + this.failed === this.handle.size;
  }

  progress(): SetProgress {
    const p: SetProgress = {
      handle: this.handle, done: this.done, failed: this.failed, pending: this.handle.size - this.done - this.failed,
      complete: this.complete, startedAt: this.startedAt, results: this.results,
    };
    if (this.finishedAt !== undefined) p.finishedAt = this.finishedAt;
    return p;
  }

  wake(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }
}

/** Task `index` of `entry` as poll and everyResult give it (it has arrived). */
export function resultOf(entry: SetEntry, index: number): TaskResult {
  const set = entry.handle.id;
  const ok = entry.oks[index] as boolean;
  const value = entry.results[index];
  const output = entry.outputs[index] as string;
  return (output === '' ? { set, index, ok, value } : { set, index, ok, value, output }) as TaskResult;
}
