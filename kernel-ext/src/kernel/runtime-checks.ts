/** The checks (and their messages) behind the kernel's helpful errors. */
import type { HandleLike, SetHandle, SetProgress } from '../client/api-types.js';
import { asKernelError, KernelError, messageOf } from './errors.js';
import { closest } from './suggest.js';

export function noClusterError(): KernelError {
  return new KernelError('NO_CLUSTER', 'there is no cluster yet', {
    hint: 'Start one with `%cluster local 4` (4 executors on this machine) or connect to running workers with `%cluster connect tcp://HOST:5555`.',
  });
}

export function unknownFunctionError(fn: string, names: readonly string[]): KernelError {
  const near = closest(fn, names);
  return new KernelError('UNKNOWN_FUNCTION', `'${fn}' is not a function on the executors`, {
    hint:
      (near ? `Did you mean ${near}? ` : '') +
      `Available: ${names.join(', ')}. Install more with a %%remote cell, or pass a function variable.`,
  });
}

export function unknownSetError(id: number | undefined, sets: readonly SetHandle[]): KernelError {
  if (id === undefined) {
    return new KernelError('UNKNOWN_SET', 'there is no scatter set yet', { hint: 'Queue one with `%scatter FN EXPR`.' });
  }
  const ids = sets.map((s) => s.id);
  return new KernelError('UNKNOWN_SET', `there is no set ${id}`, {
    hint: ids.length ? `Sets: ${ids.join(', ')}.` : 'No set has been queued on this cluster yet.',
  });
}

export function describeSet(h: SetHandle): string {
  return `set ${h.id}: ${h.fn} × ${h.size} task${h.size === 1 ? '' : 's'}`;
}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}

/** A scatter set is an array of tasks `[args[], kwargs?]`. */
export function checkScatterSet(set: unknown): void {
  const hint = 'A scatter set is an array of tasks [args, kwargs?], e.g. [[[1000, { bins: 10 }]], [[2000]]].';
  if (!Array.isArray(set)) throw new KernelError('BAD_SCATTER_SET', `the scatter set is not an array: ${show(set)}`, { hint });
  set.forEach((task: unknown, i) => {
    const ok =
      Array.isArray(task) &&
      (task.length === 1 || task.length === 2) &&
      Array.isArray(task[0]) &&
      (task.length === 1 || task[1] === undefined || isPlainObject(task[1]));
    if (!ok) throw new KernelError('BAD_SCATTER_SET', `task ${i} is not [args, kwargs?]: ${show(task)}`, { hint });
  });
}

/** What the global `sg` is while there is no cluster: any use of it says how to start one. */
export function noClient(): unknown {
  return new Proxy(
    {},
    {
      get: (_t, prop) => {
        if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return undefined;
        throw noClusterError();
      },
    },
  );
}

/** The set a magic names (by handle or id), or by default the newest. */
export function resolveSet(handle: HandleLike | undefined, sets: SetHandle[]): SetHandle {
  if (handle === undefined) {
    const last = sets[sets.length - 1];
    if (!last) throw unknownSetError(undefined, sets);
    return last;
  }
  const id = typeof handle === 'number' ? handle : handle.id;
  // A handle object is this cluster's only if it is one of its own: ids start at 1 on every cluster.
  const found = sets.find((s) => (typeof handle === 'number' ? s.id === id : s === handle));
  if (found) return found;
  if (typeof handle !== 'number' && sets.some((s) => s.id === id)) {
    throw new KernelError('UNKNOWN_SET', `this handle is set ${id} of an earlier cluster, not of this one`, { hint: 'Queue the set again on this cluster, or name a set of this one by its number.' });
  }
  throw unknownSetError(id, sets);
}

/** Why a wait for set `h` ended without its results: interrupted, out of time, or the cluster failed; `progress` undefined when it is gone. */
export function waitError(e: unknown, h: SetHandle, progress: SetProgress | undefined, abort: AbortController, timeoutMs: number | undefined): KernelError {
  const where = progress ? `${progress.done + progress.failed}/${h.size} arrived` : 'the cluster is gone';
  if (abort.signal.aborted) return new KernelError('WAIT_TIMEOUT', `stopped waiting for set ${h.id} (${where}); it keeps running`, { cause: e });
  if (timeoutMs !== undefined && ((e as { code?: unknown })?.code === 'ERR_WAIT_TIMEOUT' || /timed? ?out/i.test(messageOf(e)))) {
    return new KernelError('WAIT_TIMEOUT', `gave up waiting for set ${h.id} after ${timeoutMs / 1000} s (${where}); it keeps running`, {
      cause: e,
      hint: `%gather ${h.id} shows what has arrived; %gather ${h.id} --wait waits again; %cancel ${h.id} stops it.`,
    });
  }
  return asKernelError(e, 'CLUSTER_ERROR', `waiting for set ${h.id} failed`);
}
