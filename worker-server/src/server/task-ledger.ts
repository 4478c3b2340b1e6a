import { Payload, type FnRef, type ResultItem, type TaskItem } from '@scattergather/protocol';
import { FairTaskQueue } from './fair-task-queue.js';

/** A task held by this server: whose it is (a controller's routing id), its id there, and what to run. */
export interface HeldTask { owner: Buffer; remoteId: number; fn: FnRef; args: Payload; timeoutMs: number }

interface Owner { id: Buffer; lastHeard: number; heartbeatMs: number | undefined }

/**
 * Every task this server holds, by local id, with the queue of those not yet
 * given to an executor and the results waiting to go back to their owners.
 */
export class TaskLedger {
  readonly queue = new FairTaskQueue((id) => this.tasks.get(id)?.owner);
  private readonly tasks = new Map<number, HeldTask>();
  private readonly owners = new Map<string, Owner>();
  private outgoing = new Map<Buffer, ResultItem[]>();
  private nextId = 1;

  get(id: number): HeldTask | undefined {
    return this.tasks.get(id);
  }

  /** The one Buffer that stands for this controller (so results group by identity), and a note that it spoke. */
  ownerOf(from: Buffer, heartbeatMs?: number): Buffer {
    const key = from.toString('latin1');
    let owner = this.owners.get(key);
    if (owner === undefined) {
      owner = { id: Buffer.from(from), lastHeard: 0, heartbeatMs: undefined };
      this.owners.set(key, owner);
    }
    owner.lastHeard = Date.now();
    if (heartbeatMs !== undefined) owner.heartbeatMs = heartbeatMs;
    return owner.id;
  }

  add(from: Buffer, fns: FnRef[], items: TaskItem[]): void {
    const owner = this.ownerOf(from);
    for (const item of items) {
      if (!Array.isArray(item)) continue;
      const [remoteId, fnIndex, args, timeoutMs] = item;
      const fn = fns[fnIndex];
      // A controller that sends a malformed task item gets nothing run for it.
      if (fn === null || typeof fn !== 'object' || typeof remoteId !== 'number' || !(args instanceof Payload)) continue;
      const id = this.nextId++;
      this.tasks.set(id, { owner, remoteId, fn, args, timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : 0 });
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
  complete(id: number, [, ok, value, ms, pid, output]: ResultItem): void {
    const task = this.remove(id);
    if (task === undefined) return;
    const item: ResultItem = [task.remoteId, ok, value, ms, pid, typeof output === 'string' ? output : ''];
    const list = this.outgoing.get(task.owner);
    if (list === undefined) this.outgoing.set(task.owner, [item]);
    else list.push(item);
  }

  takeOutgoing(): Map<Buffer, ResultItem[]> {
    const outgoing = this.outgoing;
    this.outgoing = new Map();
    return outgoing;
  }

  /** Local ids of `owner`'s tasks with these remote ids. */
  localIds(owner: Buffer, remoteIds: readonly number[]): number[] {
    const wanted = new Set(remoteIds);
    const ids: number[] = [];
    for (const [id, task] of this.tasks) if (task.owner === owner && wanted.has(task.remoteId)) ids.push(id);
    return ids;
  }

  /** Drops every queued task of `owner` (running ones finish unheard). */
  dropQueued(owner: Buffer): void {
    this.queue.removeWhere((id) => {
      if (this.tasks.get(id)?.owner !== owner) return false;
      this.tasks.delete(id);
      return true;
    });
  }

  /** Owners that stopped heartbeating for `missed` of their periods; they are forgotten. */
  takeSilentOwners(missed: number): Buffer[] {
    const now = Date.now();
    const silent: Buffer[] = [];
    for (const [key, owner] of this.owners) {
      if (owner.heartbeatMs !== undefined && now - owner.lastHeard > missed * owner.heartbeatMs) {
        silent.push(owner.id);
        this.owners.delete(key);
      }
    }
    return silent;
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

  /** The tasks no executor has been given yet, as remote ids by owner, and forgets them. */
  takeQueued(): Map<Buffer, number[]> {
    const queued: HeldTask[] = [];
    this.queue.removeWhere((id) => {
      const task = this.remove(id);
      if (task !== undefined) queued.push(task);
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
