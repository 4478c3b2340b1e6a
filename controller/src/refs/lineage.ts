import { PayloadList } from '@scattergather/protocol';
import type { TaskBook } from '../dispatch/task-book.js';
import type { TaskOutcomes } from '../dispatch/task-outcomes.js';
import type { RefRecord } from './ref-table.js';

/** Internal sets (re-runs that make lost references again) count down from here: never a client's set id. */
let nextInternalSet = -1;

/**
 * Server `server` is gone: every reference it alone held is made again by
 * queueing the task that made it (whose own lost inputs are made again the
 * same way), at most its set's `retries` times; one that cannot be made again
 * fails, and so do the tasks waiting for it, with an error naming it.
 */
export function remakeLost(book: TaskBook, outcomes: TaskOutcomes, server: number, url: string): void {
  for (const ref of book.refs.dropServer(server)) {
    const maker = ref.maker;
    if (maker !== undefined && ref.remakes < maker.set.retries) remake(book, ref);
    else {
      const why = maker === undefined ? 'a put value, held nowhere else' : `made again ${ref.remakes} times already (retries: ${maker.set.retries})`;
      const error = `reference ${ref.id} was lost with worker server ${url} and cannot be made again (${why})`;
      for (const task of book.refs.fail(ref.id, error)) outcomes.failInput(task, ref.id, error);
    }
  }
}

function remake(book: TaskBook, ref: RefRecord): void {
  const maker = ref.maker as NonNullable<RefRecord['maker']>;
  ref.remakes += 1;
  ref.state = 'pending';
  const inputs = maker.inputs === undefined ? undefined : new Map([[0, maker.inputs]]);
  const set = book.addSet(nextInternalSet--, maker.set.fn, PayloadList.of([maker.args]), maker.set.retries, maker.set.timeoutMs, { keep: true, internal: true, inputs });
  const task = set.queue[0];
  if (task !== undefined) task.ref = ref.id;
}
