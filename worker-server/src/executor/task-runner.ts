import { performance } from 'node:perf_hooks';
import { decodeValue, encodeValue, OUTPUT_INTERVAL_MS, type Message, type OutputItem, type Payload, type ResultItem, type TaskItem } from '@scattergather/protocol';
import { describeThrown, plainErrorState } from './describe-thrown.js';
import type { FunctionRegistry, RemoteFn } from './function-registry.js';
import { RefValues } from './ref-values.js';
import type { OutputCapture } from './output-capture.js';

interface QueuedTask { id: number; fn: RemoteFn | Error; args: Payload }

/**
 * Where results go: each one as its task ends; `paused` when the runner stops
 * for now (queue empty, or awaiting a task); `output`, what the running task
 * printed, live.
 */
export interface ResultSink {
  result(result: ResultItem): void;
  paused(): void;
  output(items: OutputItem[]): void;
}

/**
 * Runs tasks one at a time, in arrival order, and reports each result the
 * moment its task ends, before the next one starts: a finished result is never
 * held behind a running task, so the server always knows which task runs.
 * Synchronous tasks run in a tight loop; no timer or promise is made per task
 * unless the task itself returns something promise-like.
 */
export class TaskRunner {
  private queue: QueuedTask[] = [];
  private head = 0;
  private running = false;
  /** The task running now, whose prints stream live. */
  private current: number | undefined;
  private liveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly output: OutputCapture,
    private readonly sink: ResultSink,
    /** Where the values of references in arguments come from. */
    private readonly values: RefValues = new RefValues(() => undefined),
  ) {}

  /**
   * Called on every print: at most one live `output` per OUTPUT_INTERVAL_MS. A
   * synchronous task holds the thread until its result, which carries its output.
   */
  printed(): void {
    if (this.liveTimer !== undefined) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      const text = this.output.takeFresh();
      if (text !== '' && this.current !== undefined) this.sink.output([[this.current, text]]);
    }, OUTPUT_INTERVAL_MS);
  }

  enqueue(run: Message<'run'>): void {
    const fns = run.fns.map((ref) => this.registry.resolve(ref));
    // Indexed, not destructured: destructuring runs the iterator protocol, ~10× dearer per task before the JIT warms up.
    for (let i = 0; i < run.tasks.length; i++) {
      const task = run.tasks[i] as TaskItem;
      const id = task[0], fnIndex = task[1];
      this.queue.push({ id, fn: fns[fnIndex] ?? new TypeError(`task ${id} names function #${fnIndex}, which its batch lacks`), args: task[2] });
    }
    if (!this.running) this.drain();
  }

  private drain(): void {
    this.running = true;
    while (this.head < this.queue.length) {
      const task = this.queue[this.head] as QueuedTask;
      this.queue[this.head++] = undefined as unknown as QueuedTask;
      const started = performance.now();
      this.current = task.id;
      let outcome: unknown;
      try {
        outcome = invoke(task, this.values);
      } catch (error) {
        this.finish(task.id, false, error, started);
        continue;
      }
      if (mayBeThenable(outcome)) {
        // Adopting it inside a promise job turns a `then` that throws (a getter, a Proxy) into a rejection.
        Promise.resolve().then(() => outcome).then(
          (value) => this.finish(task.id, true, value, started),
          (error: unknown) => this.finish(task.id, false, error, started),
        ).finally(() => this.drain());
        this.sink.paused();
        return;
      }
      this.finish(task.id, true, outcome, started);
    }
    this.queue = [];
    this.head = 0;
    this.running = false;
    this.sink.paused();
  }

  private finish(id: number, ok: boolean, value: unknown, started: number): void {
    const ms = performance.now() - started;
    // What was printed since the previous result belongs to this task (tasks run one at a time).
    const output = this.output.take();
    try {
      const outcome = encodeOutcome(ok, value);
      this.sink.result([id, outcome[0], outcome[1], ms, process.pid, output]);
    } catch (error) {
      // The sink throws only for a result refused unwritten (too large): the task ends with why, without its output.
      const outcome = encodeOutcome(false, error);
      this.sink.result([id, outcome[0], outcome[1], ms, process.pid, '']);
    }
  }
}

function invoke(task: QueuedTask, values: RefValues): unknown {
  const fn = task.fn;
  if (fn instanceof Error) throw fn;
  const decoded = values.fillIn(decodeValue(task.args));
  return decoded instanceof Promise ? decoded.then((ready) => call(fn, ready)) : call(fn, decoded);
}

function call(fn: RemoteFn, decoded: unknown): unknown {
  if (!Array.isArray(decoded) || !Array.isArray(decoded[0])) throw new TypeError('a task must be [args, kwargs?]');
  const args = decoded[0] as unknown[], kwargs = decoded[1] as Record<string, unknown> | undefined;
  return kwargs === undefined ? fn(...args) : fn(...args, kwargs);
}

/** Has a callable `then`, or one that cannot even be read (which the promise path turns into the task's error). */
function mayBeThenable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    return true;
  }
}

/** A value, or what was thrown as an ErrorState; a value that cannot be sent becomes an error too. Never throws. */
function encodeOutcome(ok: boolean, value: unknown): [boolean, Payload] {
  if (ok) {
    try {
      return [true, encodeValue(value)];
    } catch (error) {
      return encodeOutcome(false, new TypeError(`the result cannot be sent back: ${describeThrown(error).message}`));
    }
  }
  const state = describeThrown(value);
  try {
    return [false, encodeValue(state)];
  } catch {
    return [false, encodeValue(plainErrorState(state))];
  }
}
