import type { SetRecord, TaskBook, TaskRecord } from './task-book.js';

/**
 * Takes queued tasks round-robin across sets, one at a time, so sets queued
 * together share the cluster instead of the first one hogging it.
 */
export class FairQueue {
  private turn = 0;

  constructor(private readonly book: TaskBook) {}

  take(count: number): TaskRecord[] {
    const taken: TaskRecord[] = [];
    const sets = [...this.book.sets.values()].filter(hasQueued);
    while (taken.length < count && sets.length > 0) {
      this.turn %= sets.length;
      const set = sets[this.turn] as SetRecord;
      const task = this.shift(set);
      if (task !== undefined) taken.push(task);
      if (hasQueued(set)) this.turn += 1;
      else sets.splice(this.turn, 1);
    }
    return taken;
  }

  /** The next task of `set` still unfinished (one cancelled while queued is skipped). */
  private shift(set: SetRecord): TaskRecord | undefined {
    const task = set.queue[set.head] as TaskRecord;
    set.queue[set.head++] = undefined as unknown as TaskRecord;
    if (set.head === set.queue.length) {
      set.queue = [];
      set.head = 0;
    }
    return this.book.tasks.get(task.id) === task ? task : undefined;
  }
}

function hasQueued(set: SetRecord): boolean {
  return set.head < set.queue.length;
}
