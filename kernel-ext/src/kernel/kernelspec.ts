/** `sg-kernel install`: writes the `scattergather` kernelspec, no Python needed. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const KERNEL_NAME = 'scattergather';
export const DISPLAY_NAME = 'TypeScript (scatter/gather)';

export interface InstallTarget {
  user?: boolean;
  prefix?: string;
  sysPrefix?: boolean;
}

/** `jupyter`'s prefix as Python's sys.prefix would say, found from the `jupyter` on PATH (…/bin/jupyter → …). */
function sysPrefix(): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const exe = path.join(dir, 'jupyter');
    if (fs.existsSync(exe)) return path.dirname(path.dirname(fs.realpathSync(exe)));
  }
  throw new Error('--sys-prefix: no `jupyter` on PATH to take the prefix from; use --prefix DIR');
}

function userDataDir(): string {
  return process.env['JUPYTER_DATA_DIR'] ?? path.join(process.env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

/** Where the kernelspec directory goes (like `jupyter kernelspec install`). */
export function kernelsDir(target: InstallTarget): string {
  const chosen = [target.user, target.prefix !== undefined, target.sysPrefix].filter(Boolean).length;
  if (chosen > 1) throw new Error('choose one of --user, --prefix DIR, --sys-prefix');
  if (target.prefix !== undefined) return path.join(path.resolve(target.prefix), 'share', 'jupyter', 'kernels');
  if (target.sysPrefix) return path.join(sysPrefix(), 'share', 'jupyter', 'kernels');
  if (target.user || process.getuid?.() !== 0) return path.join(userDataDir(), 'kernels');
  return '/usr/local/share/jupyter/kernels';
}

export function kernelJson(script: string): Record<string, unknown> {
  return {
    argv: [process.execPath, script, 'kernel', '--config-path', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { debugger: false },
  };
}

/** Writes PREFIX/…/kernels/scattergather/kernel.json; returns its directory. */
export function installKernelspec(target: InstallTarget, script: string, name = KERNEL_NAME): string {
  const dir = path.join(kernelsDir(target), name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelJson(script), null, 2) + '\n');
  return dir;
}
