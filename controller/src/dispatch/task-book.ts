import { keptRefId, type FnRef, type Payload, type PayloadList } from '@scattergather/protocol';
import { FeedGraph } from '../refs/feed-graph.js';
import { RefTable } from '../refs/ref-table.js';
import { FlightLedger } from './flight-ledger.js';

export interface SetRecord {
  id: number;
  fn: FnRef;
  /** Every task's arguments, as they came: a task has no record of its own until it is first taken (`take`). */
  args: PayloadList;
  /** Tasks before this index have records; those from it on were never taken. */
  untaken: number;
  /** Taken tasks back in the queue (retries), in order; they go before the untaken ones. */
  queue: TaskRecord[];
  head: number;
  /** Tasks not finished yet. */
  remaining: number;
  retries: number;
  timeoutMs: number | undefined;
  /** Its results stay on the servers, as references. */
  keep: boolean;
  /** Made by the controller to make lost references again: its results are not the client's. */
  internal: boolean;
  /** Reference ids in each task's arguments, by task index. */
  inputs: ReadonlyMap<number, string[]> | undefined;
}

export interface SetOptions {
  keep?: boolean;
  internal?: boolean;
  /** Reference ids in each task's arguments, by task index. */
  inputs?: ReadonlyMap<number, string[]>;
}

export interface TaskRecord {
  id: number;
  set: SetRecord;
  index: number;
  args: Payload;
  /** The references in its arguments, replaced by their values on the server. */
  inputs: string[] | undefined;
  /** The reference its result is kept as (a set with `keep`). */
  ref: string | undefined;
  /** Runs that ended without a result (executor or server lost). */
  failures: number;
  /** Written by the FlightLedger alone: the server it is in flight to (-1: none), its wire id there, and the send count when it left. */
  server: number;
  wireId: number;
  sentAt: number;
}

/** Every unfinished task and set, by id, and where each one is; a finished one is forgotten at once. */
export class TaskBook {
  readonly tasks = new Map<number, TaskRecord>();
  readonly sets = new Map<number, SetRecord>();
  readonly flights = new FlightLedger();
  readonly refs = new RefTable();
  readonly feeds = new FeedGraph();
  private nextTaskId = 1;
  done = 0;
  failed = 0;

  /**
   * A set of a million tasks costs a few bytes per task here until its tasks are taken. A kept set's records
   * are made at once: its references exist, as expected results, before any of its tasks runs.
   */
  addSet(id: number, fn: FnRef, args: PayloadList, retries: number, timeoutMs: number | undefined, options: SetOptions = {}): SetRecord {
    const set: SetRecord = {
      id, fn, args, untaken: 0, queue: [], head: 0, remaining: args.length, retries, timeoutMs,
      keep: options.keep === true, internal: options.internal === true, inputs: options.inputs,
    };
    if (set.keep) {
      this.makeRecords(set);
      if (!set.internal) for (const task of set.queue) this.refs.expect(task.ref as string, task);
    }
    if (set.remaining > 0) this.sets.set(id, set);
    if (!set.internal) for (const refs of options.inputs?.values() ?? []) this.feeds.note(id, refs);
    return set;
  }

  /** Whether `set` has tasks to hand out. */
  hasQueued(set: SetRecord): boolean {
    return set.head < set.queue.length || set.untaken < set.args.length;
  }

  /** The next task of `set` to hand out, requeued ones first; undefined for one finished meanwhile (cancelled while queued). */
  take(set: SetRecord): TaskRecord | undefined {
    if (set.head === set.queue.length) return this.recordOf(set, set.untaken++);
    const task = set.queue[set.head] as TaskRecord;
    set.queue[set.head++] = undefined as unknown as TaskRecord;
    if (set.head === set.queue.length) {
      set.queue = [];
      set.head = 0;
    }
    return this.tasks.get(task.id) === task ? task : undefined;
  }

  private recordOf(set: SetRecord, index: number): TaskRecord {
    const task: TaskRecord = {
      id: this.nextTaskId++, set, index, args: set.args.at(index), inputs: set.inputs?.get(index), ref: set.keep ? keptRefId(set.id, index) : undefined,
      failures: 0, server: -1, wireId: 0, sentAt: 0,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /** Makes the records of every task of `set` never taken, and queues them. */
  private makeRecords(set: SetRecord): void {
    while (set.untaken < set.args.length) set.queue.push(this.recordOf(set, set.untaken++));
  }

  /** Marks a task finished; false when it already was, so each task is delivered once. */
  finish(task: TaskRecord, ok: boolean): boolean {
    if (this.tasks.get(task.id) !== task) return false;
    this.tasks.delete(task.id);
    this.flights.land(task);
    if (ok) this.done += 1;
    else this.failed += 1;
    task.set.remaining -= 1;
    if (task.set.remaining === 0) this.sets.delete(task.set.id);
    return true;
  }

  /** Queues a task that waited for its inputs, behind its set's queued tasks. */
  enqueue(task: TaskRecord): void {
    if (this.tasks.get(task.id) !== task) return;
    if (!this.sets.has(task.set.id)) this.sets.set(task.set.id, task.set);
    task.set.queue.push(task);
  }

  /** Puts an unfinished task back at the front of its set's queue. */
  requeue(task: TaskRecord): void {
    if (this.tasks.get(task.id) !== task) return;
    this.flights.land(task);
    const { set } = task;
    if (set.head > 0) set.queue[--set.head] = task;
    else set.queue.unshift(task);
  }

  /** The unfinished tasks of set `id`, each with its record (made now, and queued, for those never taken). */
  unfinishedOf(id: number): TaskRecord[] {
    const set = this.sets.get(id);
    if (set === undefined) return [];
    this.makeRecords(set);
    const tasks: TaskRecord[] = [];
    for (const task of this.tasks.values()) if (task.set === set) tasks.push(task);
    return tasks;
  }

  get queued(): number {
    let n = 0;
    for (const set of this.sets.values()) n += set.queue.length - set.head + set.args.length - set.untaken;
    return n;
  }
}
