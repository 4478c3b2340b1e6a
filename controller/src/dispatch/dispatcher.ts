import type { ChannelMessage } from '@scattergather/protocol';
import { FairQueue } from './fair-queue.js';
import { buildRun } from './run-message.js';
import type { TaskBook, TaskRecord } from './task-book.js';

/** A server as the dispatcher sees it (a ServerLink is one). */
export interface DispatchTarget {
  readonly index: number;
  readonly url: string;
  /** Tasks it should have in hand now; 0 when it takes none. */
  capacity(): number;
  send(message: ChannelMessage<'controllerToServer'>): void;
}

/** What becomes of a task one of whose input references failed or is unknown. */
export type InputFailure = (task: TaskRecord, ref: string, error: string) => void;

/**
 * Credit-based fan-out: each server that accepts tasks gets at most the tasks
 * it has room for (its capacity less what it holds of ours), dealt one at a
 * time round the servers so a short set spreads over all of them; each
 * server's share leaves as one message. A task with reference inputs waits
 * until they exist, then goes preferably to the server holding most of their bytes.
 */
export class Dispatcher {
  private readonly queue: FairQueue;

  constructor(
    private readonly book: TaskBook,
    /** Read at each pass: servers added at run time take part at once. */
    private readonly servers: readonly DispatchTarget[],
    private readonly inputFailed: InputFailure = () => undefined,
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
    const shares: TaskRecord[][] = open.map(() => []);
    let next = 0;
    while (total > 0) {
      const tasks = this.queue.take(total);
      if (tasks.length === 0) break;
      for (const task of tasks) {
        if (!this.admit(task)) continue;
        while (room[next % open.length] === 0) next += 1;
        const at = this.placeByInputs(task, open, room) ?? next++ % open.length;
        room[at] = (room[at] as number) - 1;
        (shares[at] as TaskRecord[]).push(task);
        total -= 1;
      }
    }
    open.forEach((server, at) => {
      const share = shares[at] as TaskRecord[];
      if (share.length > 0) server.send(buildRun(this.book, server, share, this.servers));
    });
  }

  /** True when the task's inputs all exist; otherwise it waits for them, or fails for one that never will. */
  private admit(task: TaskRecord): boolean {
    if (task.inputs === undefined) return true;
    const state = this.book.refs.admit(task);
    if (state.failed !== undefined) this.inputFailed(task, state.failed, state.error);
    return state.ready;
  }

  /** The open server with room holding most of the task's input bytes; undefined when none holds any. */
  private placeByInputs(task: TaskRecord, open: readonly DispatchTarget[], room: readonly number[]): number | undefined {
    if (task.inputs === undefined) return undefined;
    let best: number | undefined;
    let bestBytes = 0;
    open.forEach((server, at) => {
      if (room[at] === 0) return;
      const bytes = this.book.refs.bytesOn(server.index, task.inputs as string[]);
      if (bytes > bestBytes) {
        best = at;
        bestBytes = bytes;
      }
    });
    return best;
  }
}
