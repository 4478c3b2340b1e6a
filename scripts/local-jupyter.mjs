// The project-local Jupyter set-up shared by `npm start` and `npm run notebooks`:
// Debian's Jupyter present, the kernel built and registered in .jupyter-local/,
// and an environment that points Jupyter at it alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const local = path.join(root, '.jupyter-local');

/** Exits with a message when something is missing; returns the env to run `jupyter` with. */
export function prepareLocalJupyter() {
  const kernelBin = path.join(root, 'kernel-ext', 'dist', 'bin', 'sg-kernel.js');
  const ensure = spawnSync('sh', [path.join(root, 'scripts', 'ensure-jupyter.sh')], { stdio: 'inherit' });
  if (ensure.status !== 0) process.exit(1);
  if (!fs.existsSync(kernelBin)) {
    console.error('The kernel is not built yet: run `npm run build` first.');
    process.exit(1);
  }
  const prefix = path.join(local, 'prefix');
  const install = spawnSync(process.execPath, [kernelBin, 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (install.status !== 0) {
    console.error(install.stderr);
    process.exit(1);
  }
  const env = {
    ...process.env,
    JUPYTER_PATH: [path.join(prefix, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_CONFIG_DIR: path.join(local, 'config'),
    JUPYTER_DATA_DIR: path.join(local, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(local, 'runtime'),
  };
  for (const d of [env.JUPYTER_CONFIG_DIR, env.JUPYTER_DATA_DIR, env.JUPYTER_RUNTIME_DIR]) fs.mkdirSync(d, { recursive: true });
  return env;
}
