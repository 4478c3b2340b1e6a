/**
 * One thing the bench measures, ours or a baseline. The runner calls `setup`
 * once (connect, warm up: nothing there is measured), `run` once per measured
 * run, and `close` once, whatever happened. `run` returns its metrics by name,
 * e.g. `{ tasksPerSec: 9000 }` or `{ p50Us: 130, p99Us: 210 }`.
 */
export interface BenchCase {
  /** Stable id, used in the JSON, e.g. `zmq.pushPull.tcp` or `ours.noop`. */
  readonly key: string;
  setup(): Promise<void>;
  run(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
