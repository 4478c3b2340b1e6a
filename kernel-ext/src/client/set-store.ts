import { decodeValue, keptRefId, Ref, type ClientOutputItem, type ClientResultItem, type ErrorState } from '@scattergather/protocol';
import type { HandleLike, PollReport, SetHandle, SetProgress, TaskResult } from './api-types.js';
import { ScatterGatherError } from './errors.js';
import { RemoteError } from './remote-error.js';

type Listener = (progress: SetProgress) => void;
type OutputListener = (index: number, text: string) => void;

/** What one task may print before the client cuts the rest (the executors' limit, over every attempt). */
const OUTPUT_LIMIT = 64 * 1024;

/** One set as the client holds it: results in input order, arrival order, and who waits on it. */
class SetEntry {
  readonly results: unknown[];
  /** Indexes in completion order, for results(h). */
  readonly arrivals: number[] = [];
  readonly oks: boolean[];
  /** What each task printed ('' for nothing, or not arrived yet). */
  readonly outputs: string[];
  done = 0;
  failed = 0;
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

/** Every set this client queued, and the results that arrive for them. */
export class SetStore {
  private readonly entries = new Map<number, SetEntry>();
  private unpolled: TaskResult[] = [];
  /** Listeners for every result; `undefined` means results can no longer arrive. */
  private streams = new Set<(result: TaskResult | undefined) => void>();
  private nextId = 1;
  private totals = { submitted: 0, done: 0, failed: 0 };
  /** Set when results can no longer arrive (the controller is gone). */
  broken: Error | undefined;

  add(fn: string, size: number, keep = false): SetHandle {
    const id = this.nextId++;
    // A kept set's references are known before its tasks run: a later set may take them at once.
    const refs = (): Ref[] => Array.from({ length: size }, (_, i) => (entry.results[i] instanceof Ref ? entry.results[i] : new Ref(keptRefId(id, i), -1)));
    const handle: SetHandle = Object.freeze(keep ? { id, fn, size, keep: true, refs } : { id, fn, size });
    const entry = new SetEntry(handle);
    this.entries.set(handle.id, entry);
    this.totals.submitted += size;
    return handle;
  }

  handles(): SetHandle[] {
    return [...this.entries.values()].map((e) => e.handle);
  }

  get(h: HandleLike): SetEntry {
    const id = typeof h === 'number' ? h : h?.id;
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
    const result = (output === '' ? { set, index, ok, value } : { set, index, ok, value, output }) as TaskResult;
    this.unpolled.push(result);
    for (const stream of this.streams) stream(result);
    touched.add(entry);
  }

  /** Decodes a batch of results (an error's origin names its server by `urlOf`) and records them; returns the sets they touched. */
  recordResults(items: readonly ClientResultItem[], urlOf: (server: number) => string): Set<SetEntry> {
    const touched = new Set<SetEntry>();
    for (const [set, index, ok, payload, server, pid, printed] of items) {
      const origin = { server: urlOf(server), pid, index, set };
      const output = typeof printed === 'string' ? printed : '';
      try {
        const value = ok ? decodeValue(payload) : new RemoteError(decodeValue(payload) as ErrorState, origin);
        this.record(set, index, ok, value, output, touched);
      } catch (error) {
        this.record(set, index, false, new RemoteError({ name: 'DecodeError', message: (error as Error).message }, origin), output, touched);
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
    const results = id === undefined ? this.unpolled : this.unpolled.filter((r) => r.set === id);
    this.unpolled = id === undefined ? [] : this.unpolled.filter((r) => r.set !== id);
    const { submitted, done, failed } = this.totals;
    return { done, failed, pending: submitted - done - failed, results };
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

export type { SetEntry };
