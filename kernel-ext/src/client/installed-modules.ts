import { BUILTIN_FUNCTIONS, type Message } from '@scattergather/protocol';
import type { InstalledModule } from './api-types.js';
import { compileModule } from './compile-module.js';

/** The modules this client made resident on the executors, by name, with their export names. */
export class InstalledModules {
  private readonly exports = new Map<string, string[]>();
  private installed = 0;

  /** Compiles `source` here (syntax errors never leave), has the controller install it, and records its exports. */
  async install(source: string, options: { name?: string; timeoutMs?: number }, request: (message: Message<'install'>) => Promise<unknown>): Promise<string[]> {
    const name = options.name ?? `module${++this.installed}`;
    const code = compileModule(source, name);
    const names = (await request({ t: 'install', req: 0, name, code, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) })) as string[];
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
