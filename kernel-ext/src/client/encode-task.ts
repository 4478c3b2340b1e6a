import { DEFAULT_BLOB_THRESHOLD, type Payload, type PayloadArena, type SharedArrayWriter } from '@scattergather/protocol';
import { ScatterGatherError } from './errors.js';

/**
 * One task of a set, checked and encoded once, here, so that a bad one is reported with its index before anything is sent.
 * Its body goes into `arena`, beside the set's other tasks; with `shared`, its big typed arrays are written there instead of travelling.
 */
export function encodeTask(task: unknown, index: number, arena: PayloadArena, shared?: SharedArrayWriter): Payload {
  if (!Array.isArray(task) || !Array.isArray(task[0]) || task.length > 2 || (task[1] !== undefined && (task[1] === null || typeof task[1] !== 'object'))) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} must be [args] or [args, kwargs] with args an array, e.g. [[1000, { bins: 10 }]]`);
  }
  try {
    return arena.encode(task.length === 2 && task[1] === undefined ? [task[0]] : task, DEFAULT_BLOB_THRESHOLD, shared);
  } catch (cause) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} cannot be sent: ${(cause as Error).message}`, { cause });
  }
}
