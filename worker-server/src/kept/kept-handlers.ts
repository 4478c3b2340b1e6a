import { errorStateOf, type ChannelHandlers, type ChannelMessage, type FnRef, type Message, type TaskItem } from '@scattergather/protocol';
import { scopeOf } from '../server/controller-sessions.js';
import type { KeptRuns } from './kept-runs.js';
import type { KeptStore } from './kept-store.js';
import type { Logger } from '../logger.js';

/** What the kept-value handlers need of the worker server. */
export interface KeptHost {
  readonly store: KeptStore;
  readonly runs: KeptRuns;
  /** Queues tasks on the executor pool. */
  submit(from: Buffer, fns: FnRef[], tasks: TaskItem[]): void;
  sendTo(to: Buffer | undefined, message: ChannelMessage<'serverToController'>): void;
  /** Hands tasks back to run elsewhere, saying whether the server still takes tasks. */
  handBack(owner: Buffer, ids: number[]): void;
  /** False once the server drains or stops: tasks whose inputs arrive then go back. */
  readonly accepting: boolean;
  readonly log: Logger;
}

type KeptMessages = Pick<ChannelHandlers<'controllerToServer'>, 'fetch' | 'put' | 'release'>;

/** Kept values asked for by a controller or by another worker server, placed, or released. */
export function keptHandlers(host: KeptHost): KeptMessages {
  const { store } = host;
  return {
    fetch: async ({ req, refs, owner }, from) => {
      const scope = typeof owner === 'string' ? owner : scopeOf(from as Buffer);
      const values = await Promise.all(refs.map(async (ref) => (typeof ref === 'string' ? (await store.get(scope, ref)) ?? null : null)));
      host.sendTo(from, { t: 'fetched', req, values });
    },
    put: ({ req, ref, value }, from) => {
      try {
        host.sendTo(from, { t: 'stored', req, size: store.put(scopeOf(from as Buffer), ref, value) });
      } catch (error) {
        host.sendTo(from, { t: 'stored', req, error: errorStateOf(error as Error) });
      }
    },
    release: ({ refs }, from) => {
      for (const ref of refs) if (typeof ref === 'string') store.release(scopeOf(from as Buffer), ref);
    },
  };
}

/**
 * Queues a run: tasks without reference inputs at once; the others once their
 * inputs are fetched and filled in, or back to the controller as 'InputLost'
 * when no server holding an input has it.
 */
export function submitRun(host: KeptHost, from: Buffer, run: Message<'run'>): void {
  const owner = scopeOf(from);
  const { ready, inputs } = host.runs.accept(owner, run);
  if (ready.length > 0) host.submit(from, run.fns, ready);
  if (inputs.size === 0) return;
  const later = run.tasks.filter((task) => Array.isArray(task) && inputs.has(task[0]));
  void host.runs.prepare(owner, later, inputs, run.sources).then(({ tasks, lost }) => {
    if (!host.accepting) return host.handBack(from, [...tasks.map(([id]) => id), ...lost]);
    if (tasks.length > 0) host.submit(from, run.fns, tasks);
    if (lost.length === 0) return;
    host.runs.forgetTasks(owner, lost);
    host.sendTo(from, { t: 'lost', ids: lost, reason: 'InputLost', pid: -1 });
  }, (error: unknown) => {
    // Never expected (prepare turns every failure into a lost task), but a rejection left unhandled would end this process.
    host.log.error({ err: error }, 'preparing tasks with kept inputs failed; they go back to their controller');
    host.handBack(from, later.map(([id]) => id));
  });
}
