import { TaskQueue } from './task-queue.js';

/**
 * The tasks no executor has been given yet, one queue per controller, taken so
 * that the controllers with work queued share the executors in proportion to
 * their weights (equal by default; a client's `weight` option sets its
 * controller's). Stride scheduling: each controller's pass grows by 1/weight
 * per task taken, and the next task comes from the lowest pass; a controller
 * whose queue was empty starts level with the others, so it neither waits
 * behind their queues nor makes up for the time it had nothing queued.
 */
export class FairTaskQueue {
  private readonly queues = new Map<string, TaskQueue>();
  private readonly weights = new Map<string, number>();
  private readonly passes = new Map<string, number>();
  /** The pass of the last task taken: where a controller that queues again starts. */
  private level = 0;

  constructor(
    /** The controller a task belongs to (undefined once it is forgotten). */
    private readonly ownerOf: (id: number) => Buffer | undefined,
  ) {}

  get length(): number {
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  /** Sets a controller's share relative to the others' (a positive number; 1 by default). */
  weigh(owner: Buffer, weight: number): void {
    if (Number.isFinite(weight) && weight > 0) this.weights.set(keyOf(owner), weight);
  }

  push(id: number): void {
    const owner = this.ownerOf(id);
    if (owner !== undefined) this.queueOf(keyOf(owner)).push(id);
  }

  /** The next task to give an executor: from the controller with the lowest pass. */
  shift(): number | undefined {
    let best: string | undefined;
    let bestPass = Infinity;
    for (const [owner, queue] of this.queues) {
      const pass = this.passes.get(owner) ?? this.level;
      if (queue.length > 0 && pass < bestPass) {
        best = owner;
        bestPass = pass;
      }
    }
    if (best === undefined) return undefined;
    this.level = bestPass;
    this.passes.set(best, bestPass + 1 / (this.weights.get(best) ?? 1));
    return (this.queues.get(best) as TaskQueue).shift();
  }

  /** Puts tasks taken back at the front of their controllers' queues, in their order. */
  unshift(ids: readonly number[]): void {
    const byOwner = new Map<string, number[]>();
    for (const id of ids) {
      const owner = this.ownerOf(id);
      if (owner === undefined) continue;
      const key = keyOf(owner);
      byOwner.set(key, [...(byOwner.get(key) ?? []), id]);
    }
    for (const [owner, list] of byOwner) this.queueOf(owner).unshift(list);
  }

  removeWhere(predicate: (id: number) => boolean): void {
    for (const queue of this.queues.values()) queue.removeWhere(predicate);
  }

  /** The queue of `owner`; one that was empty starts its pass level with the controllers being served. */
  private queueOf(owner: string): TaskQueue {
    let queue = this.queues.get(owner);
    if (queue === undefined) this.queues.set(owner, (queue = new TaskQueue()));
    if (queue.length === 0) this.passes.set(owner, Math.max(this.passes.get(owner) ?? 0, this.level));
    return queue;
  }
}

function keyOf(owner: Buffer): string {
  return owner.toString('latin1');
}
