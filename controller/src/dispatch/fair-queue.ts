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
    const sets = [...this.book.sets.values()].filter((set) => this.book.hasQueued(set));
    while (taken.length < count && sets.length > 0) {
      this.turn %= sets.length;
      const set = sets[this.turn] as SetRecord;
      const task = this.book.take(set);
      if (task !== undefined) taken.push(task);
      if (this.book.hasQueued(set)) this.turn += 1;
      else sets.splice(this.turn, 1);
    }
    return taken;
  }

}
