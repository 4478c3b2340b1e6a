import { appendValue, DEFAULT_BLOB_THRESHOLD, type PayloadListBuilder, type SharedArrayWriter } from '@scattergather/protocol';
import { ScatterGatherError } from './errors.js';

/**
 * One task of a set, checked and encoded once, here, so that a bad one is reported with its index before anything is sent.
 * It is appended to `tasks`, beside the set's other tasks; with `shared`, its big typed arrays are written there instead of travelling.
 */
export function encodeTask(task: unknown, index: number, tasks: PayloadListBuilder, shared?: SharedArrayWriter): void {
  if (!Array.isArray(task) || !Array.isArray(task[0]) || task.length > 2 || (task[1] !== undefined && (task[1] === null || typeof task[1] !== 'object'))) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} must be [args] or [args, kwargs] with args an array, e.g. [[1000, { bins: 10 }]]`);
  }
  try {
    appendValue(tasks, task.length === 2 && task[1] === undefined ? [task[0]] : task, DEFAULT_BLOB_THRESHOLD, shared);
  } catch (cause) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} cannot be sent: ${(cause as Error).message}`, { cause });
  }
}
