import { setFlagsFromString } from 'node:v8';
import type { Message, MessageType } from '../wire/messages.js';

/**
 * How many profiler ticks V8 lets a hot function run before optimizing it with
 * TurboFan: its default (Node 20's V8), and the longer wait during a burst.
 */
const DEFAULT_TICKS = 3;
const BURST_TICKS = 20;
/** A message carrying this many tasks or more starts a burst; one carrying this many or fewer ends it. */
const BURST_TASKS = 64;
const CALM_TASKS = 4;
/** The messages that carry tasks (or their results), and the field that lists them. */
const TASK_LISTS: Partial<Record<MessageType, string>> = { submit: 'tasks', run: 'tasks', done: 'results' };

/**
 * Tasks (or results) a process may meet in bursts before it counts as warm and
 * V8 keeps its default for good: twice a fresh 10,000-task set. A long run of
 * small sets (100 tasks, say) is all bursts, and waiting 20 ticks there left
 * the code run once per message (its decoding, the stream it came by) in
 * baseline code for thousands of messages (`perf` of warm 100-task histogram
 * sets: 3.67 ms a set with this limit, 4.06 ms without, medians of 10).
 */
const WARM_AFTER_TASKS = 20_000;

let enabled = false;
let inBurst = false;
let burstTasks = 0;

/**
 * Lets V8 wait longer (20 ticks, not 3) before optimizing while this process
 * works through a burst of tasks. A fresh cluster's first big set meets four
 * or more cold processes at once, and on a small machine their TurboFan
 * threads (about 300 ms of CPU over 10,000 no-op tasks on 2 cores) took the
 * cores from the main threads doing the work; waiting gives each function
 * fuller type feedback, so it is compiled once, and later. Between bursts V8
 * keeps its default: single-task round trips run only a little code each, and
 * with the longer wait took about five times as many trips to get fast. Past
 * WARM_AFTER_TASKS in bursts, the process is warm, and V8 keeps its default.
 * For our own processes only: the client's is the user's.
 */
export function delayOptimizationInBursts(): void {
  enabled = true;
}

/** Seen by the message loop for every message read: a message with many tasks starts a burst, one with few ends it. */
export function observeTaskBurst(message: Message): void {
  const field = enabled ? TASK_LISTS[message.t] : undefined;
  if (field === undefined) return;
  const tasks = ((message as unknown as Record<string, unknown>)[field] as { length: number }).length;
  if (inBurst) burstTasks += tasks;
  if (!inBurst && tasks >= BURST_TASKS) setBurst(true);
  else if (inBurst && (tasks <= CALM_TASKS || burstTasks >= WARM_AFTER_TASKS)) setBurst(false);
  if (burstTasks >= WARM_AFTER_TASKS) enabled = false;
}

function setBurst(burst: boolean): void {
  inBurst = burst;
  setFlagsFromString(`--ticks-before-optimization=${burst ? BURST_TICKS : DEFAULT_TICKS}`);
}
