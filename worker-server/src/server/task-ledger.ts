import { Payload, type FnRef, type ResultItem, type TaskItem } from '@scattergather/protocol';
import { FairTaskQueue } from './fair-task-queue.js';

/** A task held by this server: whose it is (a controller's routing id), its id there, and what to run. */
export interface HeldTask { owner: Buffer; remoteId: number; fn: FnRef; args: Payload; timeoutMs: number }

/**
 * Every task this server holds, by local id, with the queue of those not yet
 * given to an executor and the results waiting to go back to their owners.
 */
export class TaskLedger {
  readonly queue = new FairTaskQueue((id) => this.tasks.get(id)?.owner);
  private readonly tasks = new Map<number, HeldTask>();
  private outgoing = new Map<Buffer, ResultItem[]>();
  private outgoingItems = 0;
  private nextId = 1;

  /** Results waiting to go back. */
  get outgoingCount(): number {
    return this.outgoingItems;
  }

  get(id: number): HeldTask | undefined {
    return this.tasks.get(id);
  }

  /** Queues `owner`'s tasks; each runs `fns[item[1]]` resolved in `scope` (the owner's modules). */
  add(owner: Buffer, scope: string, fns: FnRef[], items: TaskItem[]): void {
    const scoped = new Map<FnRef, FnRef>();
    for (const item of items) {
      if (!Array.isArray(item)) continue;
      // Indexed, not destructured: destructuring runs the iterator protocol, ~10× dearer per task before the JIT warms up.
      const remoteId = item[0], fnIndex = item[1], args = item[2], timeoutMs = item[3];
      const fn = fns[fnIndex];
      // A controller that sends a malformed task item gets nothing run for it.
      if (fn === null || typeof fn !== 'object' || typeof remoteId !== 'number' || !(args instanceof Payload)) continue;
      let inScope = scoped.get(fn);
      if (inScope === undefined) {
        inScope = { ...fn, scope };
        scoped.set(fn, inScope);
      }
      const id = this.nextId++;
      this.tasks.set(id, { owner, remoteId, fn: inScope, args, timeoutMs: typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : 0 });
      this.queue.push(id);
    }
  }

  /** Forgets a task (finished, lost or cancelled) and returns it. */
  remove(id: number): HeldTask | undefined {
    const task = this.tasks.get(id);
    this.tasks.delete(id);
    return task;
  }

  /** Records a result for its owner; results leave together in `takeOutgoing`. */
  complete(id: number, result: ResultItem): void {
    const task = this.remove(id);
    if (task === undefined) return;
    const output = result[5];
    const item: ResultItem = [task.remoteId, result[1], result[2], result[3], result[4], typeof output === 'string' ? output : ''];
    this.outgoingItems += 1;
    const list = this.outgoing.get(task.owner);
    if (list === undefined) this.outgoing.set(task.owner, [item]);
    else list.push(item);
  }

  takeOutgoing(): Map<Buffer, ResultItem[]> {
    const outgoing = this.outgoing;
    this.outgoing = new Map();
    this.outgoingItems = 0;
    return outgoing;
  }

  /** Local ids of `owner`'s tasks with these remote ids. */
  localIds(owner: Buffer, remoteIds: readonly number[]): number[] {
    const wanted = new Set(remoteIds);
    const ids: number[] = [];
    for (const [id, task] of this.tasks) if (task.owner === owner && wanted.has(task.remoteId)) ids.push(id);
    return ids;
  }

  /** Remote ids of every task of `owner` held here: queued, given to an executor, or finished and not yet sent. */
  heldBy(owner: Buffer): number[] {
    const held: number[] = [];
    for (const task of this.tasks.values()) if (task.owner === owner) held.push(task.remoteId);
    for (const item of this.outgoing.get(owner) ?? []) held.push(item[0]);
    return held;
  }

  /** Tasks held, queued or given to an executor. */
  get size(): number {
    return this.tasks.size;
  }

  /** Everything unfinished, as remote ids by owner, and forgets it all. */
  drain(): Map<Buffer, number[]> {
    const unfinished = remoteIdsByOwner(this.tasks.values());
    this.tasks.clear();
    return unfinished;
  }

  /** Every task of `owner`, queued or given to an executor, as remote ids, and forgets them: their results are dropped. */
  takeOwned(owner: Buffer): number[] {
    const ids = this.takeQueued(owner).get(owner) ?? [];
    for (const [id, task] of this.tasks) {
      if (task.owner !== owner) continue;
      ids.push(task.remoteId);
      this.tasks.delete(id);
    }
    return ids;
  }

  /** The tasks no executor has been given yet (of `owner` alone, if given), as remote ids by owner, and forgets them. */
  takeQueued(owner?: Buffer): Map<Buffer, number[]> {
    const queued: HeldTask[] = [];
    this.queue.removeWhere((id) => {
      const task = this.tasks.get(id);
      if (owner !== undefined && task !== undefined && task.owner !== owner) return false;
      if (task !== undefined) queued.push(task);
      this.tasks.delete(id);
      return true;
    });
    return remoteIdsByOwner(queued);
  }
}

function remoteIdsByOwner(tasks: Iterable<HeldTask>): Map<Buffer, number[]> {
  const byOwner = new Map<Buffer, number[]>();
  for (const task of tasks) {
    const ids = byOwner.get(task.owner);
    if (ids === undefined) byOwner.set(task.owner, [task.remoteId]);
    else ids.push(task.remoteId);
  }
  return byOwner;
}
