import type { FnRef } from '@scattergather/protocol';
import type { RemoteFunction } from './api-types.js';
import { ScatterGatherError } from './errors.js';
import { remoteNameOf } from './remote-function.js';

/** The wire form of a remote function, and the name to show for it. */
export function toFnRef(fn: RemoteFunction, known: readonly string[]): { ref: FnRef; label: string } {
  const installedName = typeof fn === 'function' ? remoteNameOf(fn) : undefined;
  if (installedName !== undefined) return toFnRef(installedName, known);
  if (typeof fn === 'function') {
    const source = Function.prototype.toString.call(fn);
    if (source.includes('[native code]')) throw new ScatterGatherError('ERR_NATIVE_FUNCTION', `${fn.name || 'this function'} is native code and cannot be sent; wrap it: (x) => ${fn.name || 'f'}(x)`);
    return { ref: fn.name === '' ? { source } : { source, name: fn.name }, label: fn.name || '<function>' };
  }
  if (typeof fn !== 'string' || fn === '') throw new ScatterGatherError('ERR_FN', 'fn must be the name of a built-in or installed function, or a function');
  if (!known.includes(fn)) {
    throw new ScatterGatherError('ERR_UNKNOWN_FUNCTION', `no function '${fn}' is known; available: ${known.join(', ')}. Install it with install(source) (%%remote in a notebook), or pass the function itself`);
  }
  return { ref: { name: fn }, label: fn };
}
