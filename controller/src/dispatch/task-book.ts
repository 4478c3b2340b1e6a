import type { FnRef, Payload, PayloadList } from '@scattergather/protocol';
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
}

export interface TaskRecord {
  id: number;
  set: SetRecord;
  index: number;
  args: Payload;
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
  private nextTaskId = 1;
  done = 0;
  failed = 0;

  /** A set of a million tasks costs a few bytes per task here until its tasks are taken. */
  addSet(id: number, fn: FnRef, args: PayloadList, retries: number, timeoutMs: number | undefined): SetRecord {
    const set: SetRecord = { id, fn, args, untaken: 0, queue: [], head: 0, remaining: args.length, retries, timeoutMs };
    if (set.remaining > 0) this.sets.set(id, set);
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
    const task: TaskRecord = { id: this.nextTaskId++, set, index, args: set.args.at(index), failures: 0, server: -1, wireId: 0, sentAt: 0 };
    this.tasks.set(task.id, task);
    return task;
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
    while (set.untaken < set.args.length) set.queue.push(this.recordOf(set, set.untaken++));
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
