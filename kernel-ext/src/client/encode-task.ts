import { appendValue, DEFAULT_BLOB_THRESHOLD, PayloadListBuilder, topLevelRefs, type PayloadList, type SharedArrayWriter, type TaskInputs } from '@scattergather/protocol';
import { ScatterGatherError } from './errors.js';
import type { SharedArrayDir } from './shared-array-dir.js';

/**
 * One task of a set, checked and encoded once, here, so that a bad one is reported with its index before anything is sent.
 * It is appended to `tasks`, beside the set's other tasks; with `shared`, its big typed arrays are written there instead of travelling.
 */
function encodeTask(task: unknown, index: number, tasks: PayloadListBuilder, shared?: SharedArrayWriter): void {
  if (!Array.isArray(task) || !Array.isArray(task[0]) || task.length > 2 || (task[1] !== undefined && (task[1] === null || typeof task[1] !== 'object'))) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} must be [args] or [args, kwargs] with args an array, e.g. [[1000, { bins: 10 }]]`);
  }
  try {
    appendValue(tasks, task.length === 2 && task[1] === undefined ? [task[0]] : task, DEFAULT_BLOB_THRESHOLD, shared);
  } catch (cause) {
    throw new ScatterGatherError('ERR_TASK', `task ${index} cannot be sent: ${(cause as Error).message}`, { cause });
  }
}

/**
 * A set's tasks as one payload list, and the references at the top level of each task's arguments (by task index);
 * if one task cannot be encoded, the arrays already placed in `shared` for it are freed.
 */
export function encodeSet(set: readonly unknown[], shared: SharedArrayDir | undefined): { tasks: PayloadList; inputs: TaskInputs[] } {
  const builder = new PayloadListBuilder();
  const inputs: TaskInputs[] = [];
  try {
    for (let index = 0; index < set.length; index++) {
      encodeTask(set[index], index, builder, shared);
      const refs = topLevelRefs(set[index]);
      if (refs.length > 0) inputs.push([index, refs.map((r) => r.id)]);
    }
  } catch (error) {
    shared?.dropPlaced();
    throw error;
  }
  return { tasks: builder.build(), inputs };
}
