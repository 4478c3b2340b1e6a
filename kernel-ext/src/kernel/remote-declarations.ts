/**
 * After a `%%remote` cell, later cells see its exported functions as typed
 * values: the module's declaration file is saved (tslab's compiler reads .d.ts
 * files from anywhere, but .ts files only under the notebook's directory), and a declaration cell
 * (`declare const f: typeof import(FILE).f;`) runs in tslab, whose checker then
 * knows `f`'s signature; at run time `f` is a stand-in that the client sends by
 * name.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { moduleTypes } from './remote-types.js';

export interface Declarations {
  /** TypeScript for tslab to run. */
  code: string;
  /** The names it declares, each with the value to give it. */
  values: Record<string, unknown>;
}

/** The modules of this kernel's `%%remote` cells, saved where tslab's compiler can read them. */
export class RemoteDeclarations {
  private dir: string | undefined;
  private count = 0;
  private pending: Declarations | undefined;

  /** Saves `source` and queues the declarations of `names` (those of its exports that are functions) for `take`. */
  add(source: string, names: readonly string[], valueOf: (name: string) => unknown): void {
    const types = moduleTypes(source);
    const declared = names.filter((n) => types.functions.includes(n));
    if (declared.length === 0) return;
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-remote-'));
    const file = path.join(this.dir, `remote${++this.count}.d.ts`);
    fs.writeFileSync(file, types.dts);
    const from = JSON.stringify(file.replace(/\.d\.ts$/, ''));
    const code = declared.map((n) => `declare const ${n}: typeof import(${from}).${n};`).join('\n');
    const values = Object.fromEntries(declared.map((n) => [n, valueOf(n)]));
    this.pending = this.pending === undefined ? { code, values } : { code: `${this.pending.code}\n${code}`, values: { ...this.pending.values, ...values } };
  }

  /** The declarations queued since the last call, to run once the cell is done. */
  take(): Declarations | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p;
  }

  dispose(): void {
    if (this.dir !== undefined) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
