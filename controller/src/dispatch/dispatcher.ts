import type { ChannelMessage, FnRef, TaskItem } from '@scattergather/protocol';
import { FairQueue } from './fair-queue.js';
import type { SetRecord, TaskBook, TaskRecord } from './task-book.js';

/** A server as the dispatcher sees it (a ServerLink is one). */
export interface DispatchTarget {
  readonly index: number;
  /** Tasks it should have in hand now; 0 when it takes none. */
  capacity(): number;
  send(message: ChannelMessage<'controllerToServer'>): void;
}

/**
 * Credit-based fan-out: each server that accepts tasks gets at most the tasks
 * it has room for (its capacity less what it holds of ours), dealt one at a
 * time round the servers so a short set spreads over all of them; each
 * server's share leaves as one message.
 */
export class Dispatcher {
  private readonly queue: FairQueue;

  constructor(
    private readonly book: TaskBook,
    /** Read at each pass: servers added at run time take part at once. */
    private readonly servers: readonly DispatchTarget[],
  ) {
    this.queue = new FairQueue(book);
  }

  dispatch(): void {
    if (this.book.sets.size === 0) return;
    const open: DispatchTarget[] = [];
    const room: number[] = [];
    let total = 0;
    for (const server of this.servers) {
      const free = server.capacity() - this.book.flights.count(server.index);
      if (free <= 0) continue;
      open.push(server);
      room.push(free);
      total += free;
    }
    if (total === 0) return;
    const tasks = this.queue.take(total);
    if (tasks.length === 0) return;

    const shares: TaskRecord[][] = open.map(() => []);
    let next = 0;
    for (const task of tasks) {
      while (room[next % open.length] === 0) next += 1;
      const at = next % open.length;
      room[at] = (room[at] as number) - 1;
      (shares[at] as TaskRecord[]).push(task);
      next += 1;
    }
    open.forEach((server, at) => {
      const share = shares[at] as TaskRecord[];
      if (share.length > 0) this.send(server, share);
    });
  }

  private send(server: DispatchTarget, share: TaskRecord[]): void {
    const fns: FnRef[] = [];
    const fnIndex = new Map<SetRecord, number>();
    const items: TaskItem[] = share.map((task) => {
      let index = fnIndex.get(task.set);
      if (index === undefined) {
        index = fns.push(task.set.fn) - 1;
        fnIndex.set(task.set, index);
      }
      return [this.book.flights.send(server.index, task), index, task.args, task.set.timeoutMs ?? 0];
    });
    server.send({ t: 'run', fns, tasks: items });
  }
}
