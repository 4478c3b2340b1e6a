import type { TaskRecord } from '../dispatch/task-book.js';

export interface RefRecord {
  id: string;
  /** Encoded bytes; -1 until made. */
  size: number;
  /** Indexes of the servers holding it (the one that made it, and those that fetched a copy to run a task). */
  holders: Set<number>;
  state: 'pending' | 'ready' | 'failed';
  /** Why it failed: the message of the RemoteError its dependants get. */
  error?: string;
  /** The task that makes it (its lineage); none for a put value. */
  maker: TaskRecord | undefined;
  /** Times it was made again after its holders were lost. */
  remakes: number;
  /** Tasks waiting for it before they can be queued. */
  waiting: TaskRecord[];
  /** Called once it is ready or failed (fetches waiting for it). */
  settled: Array<() => void>;
}

/** What a task's inputs allow now. */
export type InputState = { ready: boolean; failed?: undefined } | { ready: false; failed: string; error: string };

/**
 * Every reference this controller's client may use: where its value is held,
 * how big it is, what made it, and which tasks wait for it.
 */
export class RefTable {
  private readonly refs = new Map<string, RefRecord>();

  /** A reference that will exist once `maker` (if any) finishes. */
  expect(id: string, maker: TaskRecord | undefined): RefRecord {
    const record: RefRecord = { id, size: -1, holders: new Set(), state: 'pending', maker, remakes: 0, waiting: [], settled: [] };
    this.refs.set(id, record);
    return record;
  }

  get(id: string): RefRecord | undefined {
    return this.refs.get(id);
  }

  get size(): number {
    return this.refs.size;
  }

  /** Whether `task` can run now; if an input is pending, the task waits for it (see `ready`). */
  admit(task: TaskRecord): InputState {
    for (const id of task.inputs ?? []) {
      const ref = this.refs.get(id);
      if (ref === undefined) return { ready: false, failed: id, error: `reference ${id} is not known here: it was released, or made by another client` };
      if (ref.state === 'failed') return { ready: false, failed: id, error: ref.error ?? `reference ${id} failed` };
      if (ref.state === 'pending') {
        ref.waiting.push(task);
        return { ready: false };
      }
    }
    return { ready: true };
  }

  /** `id` now exists on `server`; returns the tasks that waited for it (to be admitted again). */
  ready(id: string, server: number, size: number): TaskRecord[] {
    const ref = this.refs.get(id);
    if (ref === undefined) return [];
    ref.state = 'ready';
    ref.size = size;
    ref.holders.add(server);
    return this.settle(ref);
  }

  /** `id` cannot be made; returns the tasks that waited for it (to fail). */
  fail(id: string, error: string): TaskRecord[] {
    const ref = this.refs.get(id);
    if (ref === undefined) return [];
    ref.state = 'failed';
    ref.error = error;
    return this.settle(ref);
  }

  /** `server` fetched a copy of `id` (to run a task): later tasks may go there too. */
  addHolder(id: string, server: number): void {
    const ref = this.refs.get(id);
    if (ref?.state === 'ready') ref.holders.add(server);
  }

  /** Bytes of `inputs` that `server` holds. */
  bytesOn(server: number, inputs: readonly string[]): number {
    let bytes = 0;
    for (const id of inputs) {
      const ref = this.refs.get(id);
      if (ref !== undefined && ref.holders.has(server)) bytes += ref.size;
    }
    return bytes;
  }

  /** `server` is gone: the references it alone held, now held nowhere. */
  dropServer(server: number): RefRecord[] {
    const orphans: RefRecord[] = [];
    for (const ref of this.refs.values()) {
      if (!ref.holders.delete(server)) continue;
      if (ref.holders.size === 0 && ref.state === 'ready') orphans.push(ref);
    }
    return orphans;
  }

  /** Forgets `id`; returns the servers that held it (to be told). */
  release(id: string): number[] {
    const ref = this.refs.get(id);
    if (ref === undefined) return [];
    this.refs.delete(id);
    return [...ref.holders];
  }

  /** Runs `then` once `id` is ready or failed (at once if it is). */
  whenSettled(id: string, then: () => void): void {
    const ref = this.refs.get(id);
    if (ref === undefined || ref.state !== 'pending') then();
    else ref.settled.push(then);
  }

  /** Every reference, for status. */
  values(): IterableIterator<RefRecord> {
    return this.refs.values();
  }

  private settle(ref: RefRecord): TaskRecord[] {
    const waiting = ref.waiting;
    ref.waiting = [];
    for (const then of ref.settled.splice(0)) then();
    return waiting;
  }
}
