import type { HandleLike, PollReport, Result, SetHandle, SetProgress, TaskOutput, TaskResult, WaitOptions } from './api-types.js';
import type { SetEntry } from './set-entry.js';
import { resultsOf } from './set-results.js';
import { SetStore } from './set-store.js';
import { waitFor } from './wait-for.js';

/**
 * The reading half of the client: what its sets have brought so far, and
 * waiting for more. Nothing here sends anything; ScatterGather adds that.
 */
export class ResultReader {
  protected readonly store = new SetStore();

  /** Never blocks: totals, and the results (of every set, or of set `h`) that arrived since they were last polled. */
  poll<T = unknown>(h?: HandleLike<T>): PollReport<T> {
    return this.store.poll(h === undefined ? undefined : this.store.get(h).handle.id) as PollReport<T>;
  }

  /** Where set `h` stands now (default: the oldest unfinished). */
  progress<T = unknown>(h?: HandleLike<T>): SetProgress<T> {
    return this.entryOf(h).progress() as SetProgress<T>;
  }

  /** Calls `listener` whenever results of `h` arrive (once per batch) and at completion; returns the unsubscribe function. */
  onProgress<T = unknown>(h: HandleLike<T>, listener: (progress: SetProgress<T>) => void): () => void {
    const entry = this.store.get(h);
    const heard = listener as (progress: SetProgress) => void;
    entry.listeners.add(heard);
    return () => entry.listeners.delete(heard);
  }

  /**
   * Drops finished set `h` and its results from this client, which otherwise
   * holds every result it received for as long as it lives (a long notebook
   * session can free them this way). Kept values stay on the servers: release them.
   */
  forget(h: HandleLike): void {
    this.store.forget(this.store.get(h).handle.id);
  }

  sets(): SetHandle[] {
    return this.store.handles();
  }

  /** Blocks until set `h` (default: the oldest unfinished) is complete; its results in input order, a RemoteError in place of each failed task. */
  async waitForResult<T = unknown>(h?: HandleLike<T>, options: WaitOptions = {}): Promise<Array<Result<T>>> {
    const entry = this.entryOf(h);
    await this.waitForEntry(entry, () => entry.complete, options, `set ${entry.handle.id} to complete`);
    return [...entry.results] as Array<Result<T>>;
  }

  /** What each task of set `h` printed to stdout and stderr, in input order: so far for a running task, all of it once done ('' for nothing). */
  output(h?: HandleLike): string[] {
    return [...this.entryOf(h).outputs];
  }

  /** Calls `listener` with what a running task of `h` prints, as it arrives (a few times a second at most); returns the unsubscribe function. */
  onOutput(h: HandleLike, listener: (index: number, text: string) => void): () => void {
    const entry = this.store.get(h);
    entry.outputListeners.add(listener);
    return () => entry.outputListeners.delete(listener);
  }

  /**
   * Set `h`'s results in completion order, those already in first; without `h`,
   * every result from now on. With `{ output: true }`, what running tasks print
   * comes in between, as TaskOutput chunks.
   */
  results<T = unknown>(h?: HandleLike<T>): AsyncGenerator<TaskResult<T>>;
  results<T = unknown>(h: HandleLike<T>, options: { output: true }): AsyncGenerator<TaskResult<T> | TaskOutput>;
  async *results<T = unknown>(h?: HandleLike<T>, options: { output?: boolean } = {}): AsyncGenerator<TaskResult<T> | TaskOutput> {
    if (h === undefined) {
      yield* this.store.everyResult() as AsyncGenerator<TaskResult<T>>;
      return;
    }
    const entry = this.store.get(h);
    yield* resultsOf(entry, options.output === true, (condition) => this.waitForEntry(entry, condition, {}, `results of set ${entry.handle.id}`)) as AsyncGenerator<TaskResult<T> | TaskOutput>;
  }

  /** Set `h`, or by default the oldest unfinished one. */
  protected entryOf(h: HandleLike | undefined): SetEntry {
    return h === undefined ? this.store.defaultSet() : this.store.get(h);
  }

  protected async waitForEntry(entry: SetEntry, condition: () => boolean, options: WaitOptions, what: string): Promise<void> {
    await waitFor(() => condition() || this.store.broken !== undefined, (wake) => entry.wakers.push(wake), { ...options, what });
    if (!condition() && this.store.broken !== undefined) throw this.store.broken;
  }
}
