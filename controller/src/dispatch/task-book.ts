import type { FnRef, Payload, PayloadList } from '@scattergather/protocol';
import type { ServerLink } from '../links/server-link.js';

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
  /** Where it runs now, if it does. */
  server: ServerLink | undefined;
}

/** Every unfinished task and set, by id; a finished one is forgotten at once. */
export class TaskBook {
  readonly tasks = new Map<number, TaskRecord>();
  readonly sets = new Map<number, SetRecord>();
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

  /** Every unfinished task of `set`, each with its record (made now for those never taken). */
  unfinishedOf(set: SetRecord): TaskRecord[] {
    const queued: TaskRecord[] = [];
    while (set.untaken < set.args.length) queued.push(this.recordOf(set, set.untaken++));
    for (const task of queued) set.queue.push(task);
    return [...this.tasks.values()].filter((t) => t.set === set);
  }

  private recordOf(set: SetRecord, index: number): TaskRecord {
    const task: TaskRecord = { id: this.nextTaskId++, set, index, args: set.args.at(index), failures: 0, server: undefined };
    this.tasks.set(task.id, task);
    return task;
  }

  /** Marks a task finished; false when it already was (a late duplicate), so it is delivered once. */
  finish(id: number, ok: boolean): TaskRecord | undefined {
    const task = this.tasks.get(id);
    if (task === undefined) return undefined;
    this.tasks.delete(id);
    task.server?.inFlight.delete(id);
    task.server = undefined;
    if (ok) this.done += 1;
    else this.failed += 1;
    task.set.remaining -= 1;
    if (task.set.remaining === 0) this.sets.delete(task.set.id);
    return task;
  }

  /** Puts an unfinished task back at the front of its set's queue. */
  requeue(task: TaskRecord): void {
    task.server?.inFlight.delete(task.id);
    task.server = undefined;
    const { set } = task;
    if (set.head > 0) set.queue[--set.head] = task;
    else set.queue.unshift(task);
  }

  get queued(): number {
    let n = 0;
    for (const set of this.sets.values()) n += set.queue.length - set.head + set.args.length - set.untaken;
    return n;
  }
}
