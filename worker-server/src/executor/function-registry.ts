import vm from 'node:vm';
import { BUILTIN_FUNCTIONS, type FnRef } from '@scattergather/protocol';
import { builtins } from '../builtins/index.js';
import { loadModule } from './load-module.js';
import { ModuleScope } from './module-scope.js';

export type RemoteFn = (...args: unknown[]) => unknown;

/**
 * Finds the function a task names: built in, or installed by the task's own
 * controller (its scope), or compiled from source (once per scope and source
 * text). One controller's modules never shadow another's, nor the built-ins.
 */
export class FunctionRegistry {
  private readonly scopes = new Map<string, ModuleScope>();
  private readonly compiled = new Map<string, RemoteFn>();

  /** A function, or the Error to report for every task that asked for it. */
  resolve(ref: FnRef): RemoteFn | Error {
    try {
      return ref.source !== undefined ? this.compile(ref.source, ref.scope ?? '') : this.lookUp(ref.name, ref.scope ?? '');
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Loads a module into `scope`, replacing one of the same name; returns its export names. */
  install(scope: string, name: string, code: string): string[] {
    const exports = loadModule(name, code);
    let modules = this.scopes.get(scope);
    if (modules === undefined) {
      modules = new ModuleScope();
      this.scopes.set(scope, modules);
    }
    modules.install(name, exports);
    this.forgetCompiled(scope);
    return Object.keys(exports);
  }

  /** Forgets every module of `scope` and what was compiled against it. */
  uninstall(scope: string): void {
    this.scopes.delete(scope);
    this.forgetCompiled(scope);
  }

  private lookUp(name: string, scope: string): RemoteFn {
    // Own entries only: a task naming 'constructor' or 'toString' must not reach Object.prototype.
    if (Object.hasOwn(builtins, name)) return builtins[name] as RemoteFn;
    const fn = this.scopes.get(scope)?.find(name);
    if (fn === undefined) {
      const known = [...BUILTIN_FUNCTIONS, ...(this.scopes.get(scope)?.functionNames() ?? [])].join(', ');
      throw new ReferenceError(`no function '${name}' on this executor; available: ${known}. Install it first with install() or %%remote`);
    }
    return fn;
  }

  private compile(source: string, scope: string): RemoteFn {
    const key = `${scope}\0${source}`;
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      fn = evaluateFunction(source, this.scopes.get(scope));
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private forgetCompiled(scope: string): void {
    for (const key of this.compiled.keys()) if (key.startsWith(`${scope}\0`)) this.compiled.delete(key);
  }
}

/** Evaluates a function's source; in a scope, its free names resolve in its controller's exports first, then in the global scope. */
function evaluateFunction(source: string, scope: ModuleScope | undefined): RemoteFn {
  let value: unknown;
  try {
    value = evaluate(`(${source})`, scope);
  } catch (error) {
    // A method written in shorthand (`name(x) { … }`) is no expression on its own.
    if (!(error instanceof SyntaxError)) throw error;
    value = Object.values(evaluate(`({${source}})`, scope) as object)[0];
  }
  if (typeof value !== 'function') throw new TypeError('the function sent by value did not evaluate to a function');
  return value as RemoteFn;
}

function evaluate(expression: string, scope: ModuleScope | undefined): unknown {
  const options = { filename: 'scattergather:function' };
  if (scope === undefined) return vm.runInThisContext(expression, options);
  const inScope = vm.runInThisContext(`(function (names, globalThis) { with (names) { return ${expression}; } })`, options) as (names: object, view: object) => unknown;
  return inScope(scope.names, scope.globalView);
}
