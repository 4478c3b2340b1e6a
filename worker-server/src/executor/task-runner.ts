import { performance } from 'node:perf_hooks';
import { decodeValue, encodeValue, errorStateOf, OUTPUT_INTERVAL_MS, type Message, type OutputItem, type Payload, type ResultItem } from '@scattergather/protocol';
import type { FunctionRegistry, RemoteFn } from './function-registry.js';
import { RefValues } from './ref-values.js';
import type { OutputCapture } from './output-capture.js';

/** Results go out in batches of at most this many… */
const FLUSH_COUNT = 512;
/** …or after this many ms of continuous running, whichever comes first. */
const FLUSH_MS = 2;

interface QueuedTask { id: number; fn: RemoteFn | Error; args: Payload }

/**
 * Runs tasks one at a time, in arrival order. Synchronous tasks run in a tight
 * loop and their results leave in batches; an asynchronous one flushes what is
 * done first, then continues the loop when it settles. No timer or promise is
 * made per task unless the task itself returns one.
 */
export class TaskRunner {
  private queue: QueuedTask[] = [];
  private head = 0;
  private running = false;
  private results: ResultItem[] = [];
  private batchStart = 0;
  /** The task running now, whose prints stream live. */
  private current: number | undefined;
  private liveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly output: OutputCapture,
    private readonly sendResults: (results: ResultItem[]) => void,
    private readonly sendOutput: (items: OutputItem[]) => void = () => undefined,
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
      if (text !== '' && this.current !== undefined) this.sendOutput([[this.current, text]]);
    }, OUTPUT_INTERVAL_MS);
  }

  get busy(): boolean {
    return this.running;
  }

  enqueue(run: Message<'run'>): void {
    const fns = run.fns.map((ref) => this.registry.resolve(ref));
    for (const [id, fnIndex, args] of run.tasks) {
      this.queue.push({ id, fn: fns[fnIndex] ?? new TypeError(`task ${id} names function #${fnIndex}, which its batch lacks`), args });
    }
    if (!this.running) this.drain();
  }

  private drain(): void {
    this.running = true;
    this.batchStart = performance.now();
    while (this.head < this.queue.length) {
      const task = this.queue[this.head] as QueuedTask;
      this.queue[this.head++] = undefined as unknown as QueuedTask;
      const started = performance.now();
      this.current = task.id;
      let outcome: unknown;
      try {
        outcome = invoke(task, this.values);
      } catch (error) {
        this.record(task.id, false, error, started);
        continue;
      }
      if (isThenable(outcome)) {
        this.flush();
        outcome.then(
          (value) => this.record(task.id, true, value, started),
          (error: unknown) => this.record(task.id, false, error, started),
        ).then(() => this.drain(), () => this.drain());
        return;
      }
      this.record(task.id, true, outcome, started);
      if (this.results.length >= FLUSH_COUNT || performance.now() - this.batchStart >= FLUSH_MS) this.flush();
    }
    this.queue = [];
    this.head = 0;
    this.flush();
    this.running = false;
  }

  private record(id: number, ok: boolean, value: unknown, started: number): void {
    const ms = performance.now() - started;
    // What was printed since the previous result belongs to this task (tasks run one at a time).
    this.results.push([id, ...encodeOutcome(ok, value), ms, process.pid, this.output.take()]);
  }

  private flush(): void {
    if (this.results.length > 0) this.sendResults(this.results);
    this.results = [];
    this.batchStart = performance.now();
  }
}

function invoke(task: QueuedTask, values: RefValues): unknown {
  const fn = task.fn;
  if (fn instanceof Error) throw fn;
  const decoded = values.fillIn(decodeValue(task.args));
  return isThenable(decoded) ? Promise.resolve(decoded).then((ready) => call(fn, ready)) : call(fn, decoded);
}

function call(fn: RemoteFn, decoded: unknown): unknown {
  if (!Array.isArray(decoded) || !Array.isArray(decoded[0])) throw new TypeError('a task must be [args, kwargs?]');
  const [args, kwargs] = decoded as [unknown[], Record<string, unknown> | undefined];
  return kwargs === undefined ? fn(...args) : fn(...args, kwargs);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A value, or what was thrown as an ErrorState; a value that cannot be sent becomes an error too. */
function encodeOutcome(ok: boolean, value: unknown): [boolean, Payload] {
  if (ok) {
    try {
      return [true, encodeValue(value)];
    } catch (error) {
      return encodeOutcome(false, new TypeError(`the result cannot be sent back: ${(error as Error).message}`));
    }
  }
  const error = value instanceof Error ? value : new Error(`a non-Error was thrown: ${String(value)}`);
  try {
    return [false, encodeValue(errorStateOf(error))];
  } catch {
    return [false, encodeValue({ name: error.name, message: error.message, stack: error.stack })];
  }
}
