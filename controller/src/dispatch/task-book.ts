import type { FnRef, Payload, PayloadList } from '@scattergather/protocol';
import type { ServerLink } from '../links/server-link.js';

export interface SetRecord {
  id: number;
  fn: FnRef;
  /** Tasks of this set not yet handed to a server, in order (retries go first). */
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

  addSet(id: number, fn: FnRef, args: PayloadList, retries: number, timeoutMs: number | undefined): SetRecord {
    const set: SetRecord = { id, fn, queue: [], head: 0, remaining: args.length, retries, timeoutMs };
    for (let index = 0; index < args.length; index++) {
      const task: TaskRecord = { id: this.nextTaskId++, set, index, args: args.at(index), failures: 0, server: undefined };
      this.tasks.set(task.id, task);
      set.queue.push(task);
    }
    if (set.remaining > 0) this.sets.set(id, set);
    return set;
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
    for (const set of this.sets.values()) n += set.queue.length - set.head;
    return n;
  }
}
