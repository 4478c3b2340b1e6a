import { BUILTIN_FUNCTIONS, type Message } from '@scattergather/protocol';
import type { InstalledModule } from './api-types.js';
import { compileModule } from './compile-module.js';
import { ScatterGatherError } from './errors.js';

/** The modules this client made resident on the executors, by name, with their export names. */
export class InstalledModules {
  private readonly exports = new Map<string, string[]>();
  private installed = 0;

  /** Compiles `source` here (syntax errors never leave), has the controller install it, and records its exports. */
  async install(source: string, options: { name?: string; timeoutMs?: number }, request: (message: Message<'install'>) => Promise<unknown>): Promise<string[]> {
    const name = options.name ?? `module${++this.installed}`;
    const code = compileModule(source, name);
    let names: string[];
    try {
      names = (await request({ t: 'install', req: 0, name, code, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) })) as string[];
    } catch (error) {
      throw installError(name, error);
    }
    this.exports.set(name, names);
    return names;
  }

  /** Built-in and installed function names. */
  functions(): string[] {
    return [...BUILTIN_FUNCTIONS, ...[...this.exports.values()].flat()];
  }

  /** Oldest first. */
  list(): InstalledModule[] {
    return [...this.exports].map(([name, exports]) => ({ name, exports: [...exports] }));
  }
}

/** A failed install as the client's error: the remote one's code if it has one (a timeout, no servers), else ERR_INSTALL. */
function installError(name: string, error: unknown): ScatterGatherError {
  if (error instanceof ScatterGatherError) return error;
  const remote = error as { name?: unknown; message?: unknown; code?: unknown };
  const code = typeof remote.code === 'string' ? remote.code : 'ERR_INSTALL';
  const what = `${String(remote.name ?? 'Error')}: ${String(remote.message ?? error)}`;
  return new ScatterGatherError(code, `module '${name}' was not installed (${what}); a module installed before under that name stays. Fix it and install it again`, { cause: error });
}
