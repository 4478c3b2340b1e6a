import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SMALL_V8_POOL, type ResultItem } from '@scattergather/protocol';
import { decodeResultRecord } from '../result-pipe/result-record.js';
import { TaskPipeWriter } from '../task-pipe/task-pipe-writer.js';
import { ResultPipeReader } from './result-pipe-reader.js';

const EXECUTOR_MAIN = join(__dirname, '..', 'executor', 'main.js');
/** stdio of an executor: nothing in, task output to our stderr (our stdout carries the ready line alone), and IPC. */
const STDIO = ['ignore', 2, 2, 'ipc'] as const;

/**
 * Why an executor is leaving, when the pool sends it away: `retire` (refresh,
 * shutdown: no replacement from here) or `replace` (a timed-out or cancelled
 * task, a module that would not load: a new one takes its slot).
 */
export type Departure = 'retire' | 'replace';

export interface ExecutorEvents {
  results(executor: ExecutorHandle, results: ResultItem[]): void;
  /** The process exited and every result it wrote has been read: what it still holds was cut off. */
  gone(executor: ExecutorHandle, code: number | null, signal: NodeJS.Signals | null): void;
  failed(executor: ExecutorHandle, error: Error): void;
}

/** The FIFOs of one executor, in the server's private directory: its own two, and the doorbell all of them share. */
export interface ExecutorPipes { results: string; tasks: string; doorbell: string }

/**
 * One executor process as the pool sees it: its tasks in hand, in the order it
 * runs them, and its state. It runs in a process group of its own, so sending
 * it away ends whatever its tasks started too.
 */
export class ExecutorHandle {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  /** Local ids of the tasks this executor holds, in the order it runs them: the first one runs now. */
  readonly tasks = new Set<number>();
  /** When the first held task started: when it was handed over to an idle executor, or when the result before it arrived. */
  runningSince = 0;
  up = false;
  departure: Departure | undefined;
  /** The task it was sent away for running over its time limit: charged with that once it is gone, unless its result came after all. */
  overdue: number | undefined;

  private readonly pipe: ResultPipeReader;
  private readonly taskPipe: TaskPipeWriter;
  private corrupt = false;

  constructor(
    readonly slot: number,
    readonly routingId: string,
    endpoint: string,
    pipes: ExecutorPipes,
    maxMemoryMb: number | undefined,
    maxRecordBytes: number,
    private readonly events: ExecutorEvents,
  ) {
    // A server its client started already runs with SMALL_V8_POOL, which its executors inherit: once is enough.
    const execArgv = [...process.execArgv, ...(process.execArgv.includes(SMALL_V8_POOL) ? [] : [SMALL_V8_POOL]), ...(maxMemoryMb === undefined ? [] : [`--max-old-space-size=${maxMemoryMb}`])];
    this.pipe = new ResultPipeReader(pipes.results, maxRecordBytes);
    let taskPipe: TaskPipeWriter | undefined;
    try {
      taskPipe = new TaskPipeWriter(pipes.tasks);
      this.child = fork(EXECUTOR_MAIN, [endpoint, routingId, String(process.pid), pipes.results, pipes.tasks, pipes.doorbell, String(maxRecordBytes)], { stdio: [...STDIO], execArgv, detached: true });
    } catch (error) {
      // Nothing of it runs: its descriptors must not pile up with each restart tried.
      this.pipe.close();
      taskPipe?.close();
      throw error;
    }
    this.taskPipe = taskPipe;
    this.child.on('exit', (code, signal) => {
      // Whatever its tasks started is left in its group: end it too.
      killGroup(this.child);
      // It is gone, so this read gets everything it wrote: what it still holds after that was cut off.
      this.readResults();
      this.pipe.close();
      this.taskPipe.close();
      events.gone(this, code, signal);
    });
    this.child.on('error', (error) => events.failed(this, error));
  }

  /** Sends it a message (its frames, as encodeMessage makes them) over its task pipe. */
  send(frames: readonly Buffer[]): void {
    this.taskPipe.send(frames);
  }

  /** A result is partly read (a large one being written): read again soon. */
  get readingPartly(): boolean {
    return this.pipe.partial;
  }

  /** Reads the results it wrote since the last read and reports them; returns how many records came. */
  readResults(): number {
    if (this.corrupt) return 0;
    try {
      const records = this.pipe.read();
      if (records.length > 0) this.events.results(this, records.map(decodeResultRecord));
      return records.length;
    } catch (error) {
      // Task code wrote to the pipe itself: the executor is broken, as if it had crashed in that task.
      this.corrupt = true;
      this.events.failed(this, error as Error);
      killGroup(this.child);
      return 0;
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Up, and not on its way out: may be given tasks. */
  get serving(): boolean {
    return this.up && this.departure === undefined;
  }

  /** The task it is running now, if any. */
  get running(): number | undefined {
    for (const id of this.tasks) return id;
    return undefined;
  }

  /** Ends the executor and its whole process group. */
  sendAway(departure: Departure): void {
    this.departure ??= departure;
    if (this.child.exitCode === null && this.child.signalCode === null) killGroup(this.child);
  }
}

/** SIGKILL to the child's process group (it leads one: spawned detached), so what its tasks started dies with it. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // no such group (any more): the process itself, if it still runs
    child.kill('SIGKILL');
  }
}
