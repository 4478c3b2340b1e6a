import vm from 'node:vm';
import { BUILTIN_FUNCTIONS, type FnRef } from '@scattergather/protocol';
import { builtins } from '../builtins/index.js';
import { loadModule } from './load-module.js';

export type RemoteFn = (...args: unknown[]) => unknown;

/** Finds the function a task names: installed, built in, or compiled from source (once per source text). */
export class FunctionRegistry {
  private readonly installed = new Map<string, RemoteFn>();
  private readonly compiled = new Map<string, RemoteFn>();

  /** A function, or the Error to report for every task that asked for it. */
  resolve(ref: FnRef): RemoteFn | Error {
    try {
      return ref.source !== undefined ? this.compile(ref.source) : this.lookUp(ref.name);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * Loads an installed module: its exported functions become callable by name, and
   * every export becomes a global so functions sent by value can use it too.
   */
  install(name: string, code: string): string[] {
    const exports = loadModule(name, code);
    for (const [key, value] of Object.entries(exports)) {
      if (typeof value === 'function') this.installed.set(key, value as RemoteFn);
      (globalThis as Record<string, unknown>)[key] = value;
    }
    return Object.keys(exports);
  }

  private lookUp(name: string): RemoteFn {
    // Own entries only: a task naming 'constructor' or 'toString' must not reach Object.prototype.
    const fn = this.installed.get(name) ?? (Object.hasOwn(builtins, name) ? builtins[name] as RemoteFn : undefined);
    if (fn === undefined) {
      const known = [...BUILTIN_FUNCTIONS, ...this.installed.keys()].join(', ');
      throw new ReferenceError(`no function '${name}' on this executor; available: ${known}. Install it first with install() or %%remote`);
    }
    return fn;
  }

  private compile(source: string): RemoteFn {
    let fn = this.compiled.get(source);
    if (fn === undefined) {
      fn = evaluateFunction(source);
      this.compiled.set(source, fn);
    }
    return fn;
  }
}

function evaluateFunction(source: string): RemoteFn {
  let value: unknown;
  try {
    value = vm.runInThisContext(`(${source})`, { filename: 'scattergather:function' });
  } catch (error) {
    // A method written in shorthand (`name(x) { … }`) is no expression on its own.
    if (!(error instanceof SyntaxError)) throw error;
    value = Object.values(vm.runInThisContext(`({${source}})`, { filename: 'scattergather:function' }) as object)[0];
  }
  if (typeof value !== 'function') throw new TypeError('the function sent by value did not evaluate to a function');
  return value as RemoteFn;
}
