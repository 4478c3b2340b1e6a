#!/usr/bin/env node
// Re-runs every notebook in notebooks/ (or those named) with the scattergather
// kernel and saves it with its outputs: `node scripts/run-notebooks.mjs [FILE.ipynb ...]`.
// Uses Debian's `jupyter nbconvert --execute` and the project-local kernelspec
// in .jupyter-local/ (as `npm start` does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const local = path.join(root, '.jupyter-local');
const kernelBin = path.join(root, 'kernel-ext', 'dist', 'bin', 'sg-kernel.js');
const notebooksDir = path.join(root, 'notebooks');

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
  JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'),
  JUPYTER_CONFIG_DIR: path.join(local, 'config'),
  JUPYTER_DATA_DIR: path.join(local, 'data'),
  JUPYTER_RUNTIME_DIR: path.join(local, 'runtime'),
};
for (const d of [env.JUPYTER_CONFIG_DIR, env.JUPYTER_DATA_DIR, env.JUPYTER_RUNTIME_DIR]) fs.mkdirSync(d, { recursive: true });

const named = process.argv.slice(2);
const files = named.length ? named.map((f) => path.resolve(f)) : fs.readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(notebooksDir, f));
let failed = 0;
for (const file of files) {
  const t0 = Date.now();
  const r = spawnSync('jupyter', [
    'nbconvert', '--to', 'notebook', '--execute', '--inplace',
    '--ExecutePreprocessor.kernel_name=scattergather', '--ExecutePreprocessor.timeout=180',
    file,
  ], { env, cwd: path.dirname(file), encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0) console.log(`ran ${path.relative(root, file)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  else {
    failed++;
    console.error(`FAILED ${path.relative(root, file)}:\n${r.stderr || r.error}`);
  }
}
process.exit(failed ? 1 : 0);
