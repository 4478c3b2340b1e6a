import type { FnRef, Message, RefSource, TaskInputs, TaskItem } from '@scattergather/protocol';
import type { DispatchTarget } from './dispatcher.js';
import type { SetRecord, TaskBook, TaskRecord } from './task-book.js';

/**
 * One server's share as a `run` message: each set's function once, the tasks
 * in flight under fresh wire ids, which results to keep, and where to fetch
 * the input references that server does not hold.
 */
export function buildRun(book: TaskBook, server: DispatchTarget, share: TaskRecord[], servers: readonly DispatchTarget[]): Message<'run'> {
  const fns: FnRef[] = [];
  const fnIndex = new Map<SetRecord, number>();
  const keep: Array<[number, string]> = [];
  const inputs: TaskInputs[] = [];
  const sources = new Map<string, string[]>();
  const tasks: TaskItem[] = share.map((task) => {
    let index = fnIndex.get(task.set);
    if (index === undefined) {
      index = fns.push(task.set.fn) - 1;
      fnIndex.set(task.set, index);
    }
    const wireId = book.flights.send(server.index, task);
    if (task.ref !== undefined) keep.push([wireId, task.ref]);
    if (task.inputs !== undefined) {
      inputs.push([wireId, task.inputs]);
      for (const id of task.inputs) addSource(book, id, server, servers, sources);
    }
    return [wireId, index, task.args, task.set.timeoutMs ?? 0];
  });
  const message: Message<'run'> = { t: 'run', fns, tasks };
  if (keep.length > 0) message.keep = keep;
  if (inputs.length > 0) message.inputs = inputs;
  if (sources.size > 0) message.sources = [...sources].map(([id, urls]): RefSource => [id, urls]);
  return message;
}

function addSource(book: TaskBook, id: string, server: DispatchTarget, servers: readonly DispatchTarget[], sources: Map<string, string[]>): void {
  const ref = book.refs.get(id);
  if (ref === undefined || ref.holders.has(server.index) || sources.has(id)) return;
  const urls: string[] = [];
  for (const holder of ref.holders) {
    const url = servers[holder]?.url;
    if (url !== undefined) urls.push(url);
  }
  sources.set(id, urls);
}
