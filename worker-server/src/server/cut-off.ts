import type { Departure } from './executor-handle.js';

/** The part of an executor that its end is judged by. */
export interface GoneExecutor {
  /** What it still held, in the order it runs them, after every result it wrote was read. */
  readonly tasks: ReadonlySet<number>;
  readonly departure: Departure | undefined;
  readonly overdue: number | undefined;
}

/** The task charged with an executor's end, if any, and the tasks to queue again. */
export interface CutOff {
  charged?: { id: number; reason: 'ExecutorCrashed' | 'TimeoutError' };
  again: number[];
}

/**
 * Judges an executor that is gone. What it still holds never finished, and the
 * first of those was running: that one is charged if the executor died on its
 * own (ExecutorCrashed) or was ended for running over its time limit
 * (TimeoutError, unless its result arrived after all and another task was cut
 * off instead). The rest, and a task cut off by a refresh, a cancel or a
 * module that would not load, run again.
 */
export function judgeCutOff({ tasks, departure, overdue }: GoneExecutor): CutOff {
  const [running, ...rest] = tasks;
  if (running === undefined) return { again: [] };
  if (running === overdue) return { charged: { id: running, reason: 'TimeoutError' }, again: rest };
  if (departure === undefined) return { charged: { id: running, reason: 'ExecutorCrashed' }, again: rest };
  return { again: [running, ...rest] };
}
