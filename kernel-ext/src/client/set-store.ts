import { decodeValue, keptRefId, Ref, type ClientOutputItem, type ClientResultItem, type ErrorState } from '@scattergather/protocol';
import type { HandleLike, PollReport, SetHandle, TaskResult } from './api-types.js';
import { resultOf, SetEntry } from './set-entry.js';
import { ScatterGatherError } from './errors.js';
import { RemoteError, type RemoteErrorOrigin } from './remote-error.js';

/** What one task may print before the client cuts the rest (the executors' limit, over every attempt). */
const OUTPUT_LIMIT = 64 * 1024;

/**
 * Whose each handle is (a token per store, not the store: a handle the user keeps must not keep a closed
 * client's every result). Set ids start at 1 in every client, so a handle of an earlier cluster must not name this one's set.
 */
const OWNERS = new WeakMap<SetHandle, object>();

/** Every set this client queued, and the results that arrive for them. */
export class SetStore {
  private readonly entries = new Map<number, SetEntry>();
  private readonly token = {};
  /**
   * The results not polled yet, as (set, index) pairs side by side: a session
   * that never polls holds two numbers per result here, not an object each
   * (poll builds them), so a million results cost the heap and the GC little.
   */
  private unpolled: number[] = [];
  /** Pairs in `unpolled` whose set was forgotten since it was last compacted. */
  private forgottenPairs = 0;
  /** Listeners for every result; `undefined` means results can no longer arrive. */
  private streams = new Set<(result: TaskResult | undefined) => void>();
  private nextId = 1;
  private totals = { submitted: 0, done: 0, failed: 0 };
  /** Set when results can no longer arrive (the controller is gone). */
  broken: Error | undefined;

  add(fn: string, size: number, keep = false): SetHandle {
    const id = this.nextId++;
    // A kept set's references are known before its tasks run: a later set may take them at once. Looked up, not
    // held: a handle the user keeps must not keep a forgotten set's results, nor a closed client's.
    const entries = new WeakRef(this.entries);
    const refs = (): Ref[] => {
      const results = entries.deref()?.get(id)?.results;
      return Array.from({ length: size }, (_, i) => (results?.[i] instanceof Ref ? results[i] : new Ref(keptRefId(id, i), -1)));
    };
    const handle: SetHandle = Object.freeze(keep ? { id, fn, size, keep: true, refs } : { id, fn, size });
    const entry = new SetEntry(handle);
    OWNERS.set(handle, this.token);
    this.entries.set(handle.id, entry);
    this.totals.submitted += size;
    return handle;
  }

  handles(): SetHandle[] {
    return [...this.entries.values()].map((e) => e.handle);
  }

  get(h: HandleLike): SetEntry {
    const id = typeof h === 'number' ? h : h?.id;
    const owner = typeof h === 'object' && h !== null ? OWNERS.get(h) : undefined;
    if (owner !== undefined && owner !== this.token) {
      throw new ScatterGatherError('ERR_UNKNOWN_SET', `this handle is set ${String(id)} of another client (a cluster closed or replaced since); queue the set again on this one`);
    }
    const entry = this.entries.get(id);
    if (entry === undefined) {
      const known = [...this.entries.keys()];
      throw new ScatterGatherError('ERR_UNKNOWN_SET', `no set ${String(id)} here; this client's sets: ${known.length > 0 ? known.join(', ') : 'none yet (queue one with addJob)'}`);
    }
    return entry;
  }

  /** The oldest unfinished set, else the newest one. */
  defaultSet(): SetEntry {
    let newest: SetEntry | undefined;
    for (const entry of this.entries.values()) {
      if (!entry.complete) return entry;
      newest = entry;
    }
    if (newest === undefined) throw new ScatterGatherError('ERR_NO_SETS', 'no set has been queued yet: queue one with addJob (or %scatter)');
    return newest;
  }

  /** Records one result; listeners and waiters of the sets touched hear once per batch, through `settle`. */
  private record(set: number, index: number, ok: boolean, value: unknown, output: string, touched: Set<SetEntry>): void {
    const entry = this.entries.get(set);
    if (entry === undefined || index < 0 || index >= entry.handle.size || entry.oks[index] !== undefined) return;
    entry.results[index] = value;
    entry.oks[index] = ok;
    entry.outputs[index] = output;
    entry.arrivals.push(index);
    if (ok) entry.done += 1;
    else entry.failed += 1;
    if (ok) this.totals.done += 1;
    else this.totals.failed += 1;
    if (entry.complete) entry.finishedAt = Date.now();
    this.unpolled.push(set, index);
    entry.unpolled += 1;
    if (this.streams.size > 0) {
      const result = resultOf(entry, index);
      for (const stream of this.streams) stream(result);
    }
    touched.add(entry);
  }

  /** Decodes a batch of results (an error's origin names its server by `urlOf`) and records them; returns the sets they touched. */
  recordResults(items: readonly ClientResultItem[], urlOf: (server: number) => string): Set<SetEntry> {
    const touched = new Set<SetEntry>();
    // Indexed, not destructured: destructuring runs the iterator protocol, ~10× dearer per result before the JIT warms up.
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as ClientResultItem;
      const set = item[0], index = item[1], ok = item[2], payload = item[3], printed = item[6];
      const output = typeof printed === 'string' ? printed : '';
      try {
        const value = ok ? decodeValue(payload) : new RemoteError(decodeValue(payload) as ErrorState, originOf(item, urlOf));
        this.record(set, index, ok, value, output, touched);
      } catch (error) {
        this.record(set, index, false, new RemoteError({ name: 'DecodeError', message: (error as Error).message }, originOf(item, urlOf)), output, touched);
      }
    }
    this.settle(touched);
    return touched;
  }

  /** Live output of tasks still running: appended to what each printed so far; its result replaces that with the whole. */
  recordPrinted(items: readonly ClientOutputItem[]): void {
    const touched = new Set<SetEntry>();
    for (const [set, index, text] of items) {
      const entry = this.entries.get(set);
      if (entry === undefined || typeof text !== 'string' || index < 0 || index >= entry.handle.size || entry.oks[index] !== undefined) continue;
      const kept = text.slice(0, Math.max(0, OUTPUT_LIMIT - (entry.outputs[index] ?? '').length));
      if (kept === '') continue;
      entry.outputs[index] += kept;
      for (const listener of entry.outputListeners) listener(index, kept);
      touched.add(entry);
    }
    this.settle(touched);
  }

  private settle(touched: Set<SetEntry>): void {
    for (const entry of touched) {
      entry.wake();
      if (entry.listeners.size > 0) {
        const progress = entry.progress();
        for (const listener of entry.listeners) listener(progress);
      }
    }
  }

  /** Totals, and the results not polled yet: of every set, or only of set `id`. */
  poll(id?: number): PollReport {
    const { results, rest } = this.takeUnpolled((set) => id === undefined || set === id);
    this.unpolled = rest;
    const { submitted, done, failed } = this.totals;
    return { done, failed, pending: submitted - done - failed, results };
  }

  /** The unpolled results of sets `wanted` picks, and the pairs left (those of forgotten sets are dropped). */
  private takeUnpolled(wanted: (set: number) => boolean): { results: TaskResult[]; rest: number[] } {
    const results: TaskResult[] = [];
    const rest: number[] = [];
    for (let i = 0; i < this.unpolled.length; i += 2) {
      const set = this.unpolled[i] as number;
      const index = this.unpolled[i + 1] as number;
      const entry = this.entries.get(set);
      if (entry === undefined) continue;
      if (wanted(set)) {
        results.push(resultOf(entry, index));
        entry.unpolled -= 1;
      } else rest.push(set, index);
    }
    this.forgottenPairs = 0;
    return { results, rest };
  }

  /**
   * Drops finished set `id` and its results from this client; throws for a set
   * still running. Its unpolled pairs go at the next poll, or once they are half
   * of the list: forgetting stays cheap when nobody polls.
   */
  forget(id: number): void {
    const entry = this.get(id);
    if (!entry.complete) throw new ScatterGatherError('ERR_SET_PENDING', `set ${id} is still running: wait for it, or cancel it, then forget it`);
    this.entries.delete(id);
    this.forgottenPairs += entry.unpolled;
    if (4 * this.forgottenPairs > this.unpolled.length) this.unpolled = this.takeUnpolled(() => false).rest;
  }

  /** Every result from now on, as it arrives; ends with an error if results can no longer arrive. */
  async *everyResult(): AsyncGenerator<TaskResult> {
    const buffered: TaskResult[] = [];
    let wake: (() => void) | undefined;
    const push = (result: TaskResult | undefined): void => {
      if (result !== undefined) buffered.push(result);
      wake?.();
    };
    this.streams.add(push);
    try {
      for (;;) {
        while (buffered.length > 0) yield buffered.shift() as TaskResult;
        if (this.broken !== undefined) throw this.broken;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      this.streams.delete(push);
    }
  }

  /** Makes every present and future wait fail with `error`. */
  break(error: Error): void {
    this.broken ??= error;
    for (const entry of this.entries.values()) entry.wake();
    for (const stream of this.streams) stream(undefined);
  }
}

/** Where a failed result came from, for its RemoteError. */
function originOf(item: ClientResultItem, urlOf: (server: number) => string): RemoteErrorOrigin {
  return { server: urlOf(item[4]), pid: item[5], index: item[1], set: item[0] };
}
