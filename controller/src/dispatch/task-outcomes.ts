import { encodeValue, peekValue, Ref, type ClientOutputItem, type ClientResultItem, type ErrorState, type Payload } from '@scattergather/protocol';
import type { TaskBook, TaskRecord } from './task-book.js';

/**
 * How a task's run ends: with a result for the client (once per task, however
 * many answers arrive), with an error made here, or back in the queue. Results
 * wait here until the end of the turn, when they leave together. A kept result
 * makes its reference ready, and the tasks waiting for it go to the queue.
 */
export class TaskOutcomes {
  private outgoing: ClientResultItem[] = [];
  private printed: ClientOutputItem[] = [];

  constructor(
    private readonly book: TaskBook,
    /** Called whenever something here wants the end-of-turn work (sending results, dealing tasks). */
    private readonly wake: () => void,
  ) {}

  /** Finishes `task` with what its run gave (ok: its value; else the ErrorState it threw) after `ms` of running. */
  finish(task: TaskRecord, ok: boolean, value: Payload, server: number, pid: number, output: string, ms = 0): void {
    if (!this.book.finish(task, ok)) return;
    if (!task.set.internal) this.outgoing.push([task.set.id, task.index, ok, value, server, pid, output, ms]);
    if (ok) for (const id of task.inputs ?? []) this.book.refs.addHolder(id, server);
    if (task.ref !== undefined) this.settleRef(task.ref, ok, value, server);
    this.wake();
  }

  /** Finishes a task with an error made here, not by the task. */
  fail(task: TaskRecord, error: ErrorState, server: number, pid: number): void {
    this.finish(task, false, encodeValue(error), server, pid, '');
  }

  /** Counts a run that ended without a result; past the set's retries the task fails with `remoteName`. */
  retryOrFail(task: TaskRecord, remoteName: string, why: string, server: number, pid: number): void {
    task.failures += 1;
    if (task.failures <= task.set.retries) {
      this.requeue(task);
      return;
    }
    const message = `${why}; gave up after ${task.failures} attempt${task.failures === 1 ? '' : 's'} (retries: ${task.set.retries})`;
    this.fail(task, { name: remoteName, message }, server, pid);
  }

  /** Queues a task again without counting it as a failure (handed back, or lost on the way). */
  requeue(task: TaskRecord): void {
    this.book.requeue(task);
    this.wake();
  }

  /** Fails a task whose input reference `ref` failed or is unknown. */
  failInput(task: TaskRecord, ref: string, error: string): void {
    this.fail(task, { name: 'RefError', message: `input ${ref}: ${error}` }, -1, -1);
  }

  /** What a running task printed (its result will carry all of it again); leaves with this turn's results, before them. */
  print(task: TaskRecord, text: string): void {
    this.printed.push([task.set.id, task.index, text]);
    this.wake();
  }

  /** The live output queued since the last call, to send to the client. */
  takePrinted(): ClientOutputItem[] {
    const items = this.printed;
    if (items.length > 0) this.printed = [];
    return items;
  }

  /** The results finished since the last call, to send to the client. */
  takeResults(): ClientResultItem[] {
    const items = this.outgoing;
    if (items.length > 0) this.outgoing = [];
    return items;
  }

  /** A kept task ended: its reference exists now on `server` (its waiting tasks are queued), or never will (they fail). */
  private settleRef(id: string, ok: boolean, value: Payload, server: number): void {
    const made = ok ? peek(value) : undefined;
    if (made instanceof Ref) {
      for (const task of this.book.refs.ready(id, server, made.size)) this.book.enqueue(task);
      return;
    }
    const why = ok ? 'the server did not keep it' : `the task that makes it failed: ${describeError(value)}`;
    for (const task of this.book.refs.fail(id, why)) this.failInput(task, id, why);
  }
}

/** What a server sent, read without classes or files; undefined when unreadable (never from our servers): nothing here throws. */
function peek(value: Payload): unknown {
  try {
    return peekValue(value);
  } catch {
    return undefined;
  }
}

/** A task's ErrorState as `name: message`. */
function describeError(value: Payload): string {
  const state = peek(value) as Partial<Record<'name' | 'message', unknown>> | undefined;
  const { name, message } = state !== null && typeof state === 'object' ? state : {};
  return typeof name === 'string' && typeof message === 'string' ? `${name}: ${message}` : 'an error that cannot be read here';
}
