import { ScatterGatherError } from './errors.js';
import type { AnyFunction } from './typed-sets.js';

/** Shared by every copy of this module, so a stand-in made by one is known to all. */
const REMOTE_NAME = Symbol.for('scattergather.remoteFunction');

/**
 * A typed stand-in for a function installed on the executors under `name`:
 * `map` and `addJob` send its name, and its type checks the tasks and types the
 * results, e.g. `remoteFunction<typeof import('./model').fit>('fit')`. The
 * notebook kernel declares one for each function a `%%remote` cell exports.
 */
export function remoteFunction<F extends AnyFunction = AnyFunction>(name: string): F {
  const stub = (): never => {
    throw new ScatterGatherError('ERR_REMOTE_ONLY', `${name} lives on the executors, not here: run it with sg.map(${name}, items) or addJob(set, { fn: ${name} })`);
  };
  Object.defineProperty(stub, 'name', { value: name });
  Object.defineProperty(stub, REMOTE_NAME, { value: name });
  return stub as unknown as F;
}

/** The installed name a stand-in made by remoteFunction refers to. */
export function remoteNameOf(fn: AnyFunction): string | undefined {
  const name = (fn as unknown as Record<symbol, unknown>)[REMOTE_NAME];
  return typeof name === 'string' ? name : undefined;
}
