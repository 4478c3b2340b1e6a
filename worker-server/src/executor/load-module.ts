import { createRequire } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { registerCopyable } from '@scattergather/protocol';

/** What an installed module gets when it requires scattergather itself. */
const scattergatherShim = Object.freeze({ registerCopyable });
const SHIMMED = new Set(['@scattergather/kernel-ext', '@scattergather/protocol', 'scattergather']);

// Installed code and functions sent by value may require node built-ins and packages installed where the worker server runs.
const requireFromCwd = createRequire(join(process.cwd(), 'noop.js'));

export function requireForModule(id: string): unknown {
  return SHIMMED.has(id) ? scattergatherShim : requireFromCwd(id);
}

/** Runs CommonJS `code` (what install() compiled) and returns its exports. */
export function loadModule(name: string, code: string): Record<string, unknown> {
  const filename = `/scattergather/installed/${name}.js`;
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename }) as (
    exports: object, require: (id: string) => unknown, module: { exports: object }, filename: string, dirname: string,
  ) => void;
  const module = { exports: {} as Record<string, unknown> };
  wrapper(module.exports, requireForModule, module, filename, '/scattergather/installed');
  return module.exports;
}
