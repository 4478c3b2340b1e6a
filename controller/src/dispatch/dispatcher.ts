import type { FnRef, TaskItem } from '@scattergather/protocol';
import type { ServerLink } from '../links/server-link.js';
import { FairQueue } from './fair-queue.js';
import type { SetRecord, TaskBook, TaskRecord } from './task-book.js';

/**
 * Credit-based fan-out: each live server gets at most the tasks it has room for
 * (its executors times its window), dealt one at a time round the servers so a
 * short set spreads over all of them; each server's share leaves as one message.
 */
export class Dispatcher {
  private readonly queue: FairQueue;

  constructor(
    private readonly book: TaskBook,
    private readonly servers: readonly ServerLink[],
  ) {
    this.queue = new FairQueue(book);
  }

  dispatch(): void {
    if (this.book.sets.size === 0) return;
    const open = this.servers.filter((s) => s.room() > 0);
    const room = new Map(open.map((s) => [s, s.room()]));
    let total = 0;
    for (const n of room.values()) total += n;
    if (total === 0) return;
    const tasks = this.queue.take(total);
    if (tasks.length === 0) return;

    const shares = new Map<ServerLink, TaskRecord[]>();
    let next = 0;
    for (const task of tasks) {
      let server = open[next % open.length] as ServerLink;
      while ((room.get(server) ?? 0) === 0) server = open[++next % open.length] as ServerLink;
      room.set(server, (room.get(server) ?? 0) - 1);
      next += 1;
      const share = shares.get(server) ?? [];
      share.push(task);
      shares.set(server, share);
    }
    for (const [server, share] of shares) this.send(server, share);
  }

  private send(server: ServerLink, share: TaskRecord[]): void {
    const fns: FnRef[] = [];
    const fnIndex = new Map<SetRecord, number>();
    const items: TaskItem[] = share.map((task) => {
      let index = fnIndex.get(task.set);
      if (index === undefined) {
        index = fns.push(task.set.fn) - 1;
        fnIndex.set(task.set, index);
      }
      task.server = server;
      server.inFlight.add(task.id);
      return [task.id, index, task.args, task.set.timeoutMs ?? 0];
    });
    server.send({ t: 'run', fns, tasks: items });
  }
}
