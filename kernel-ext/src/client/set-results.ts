import type { TaskOutput, TaskResult } from './api-types.js';
import type { SetEntry } from './set-entry.js';

/**
 * One set's results in completion order, those already in first, until it is
 * complete; with `output`, the chunks its running tasks print come in between.
 * `wait(condition)` resolves when the condition holds (or rejects if it never can).
 */
export async function* resultsOf(entry: SetEntry, output: boolean, wait: (condition: () => boolean) => Promise<void>): AsyncGenerator<TaskResult | TaskOutput> {
  const chunks: TaskOutput[] = [];
  const listener = (index: number, text: string): void => {
    chunks.push({ set: entry.handle.id, index, output: text });
  };
  if (output) entry.outputListeners.add(listener);
  try {
    for (let next = 0; ;) {
      await wait(() => next < entry.arrivals.length || chunks.length > 0 || entry.complete);
      while (chunks.length > 0) yield chunks.shift() as TaskOutput;
      if (next < entry.arrivals.length) {
        const index = entry.arrivals[next++] as number;
        const printed = entry.outputs[index] ?? '';
        const result = { set: entry.handle.id, index, ok: entry.oks[index] as boolean, value: entry.results[index] } as TaskResult;
        yield printed === '' ? result : { ...result, output: printed };
      } else if (entry.complete) {
        return;
      }
    }
  } finally {
    entry.outputListeners.delete(listener);
  }
}
