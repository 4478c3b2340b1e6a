#!/usr/bin/env node
// Re-runs every notebook in notebooks/ (or those named) with the scattergather
// kernel and saves it with its outputs: `node scripts/run-notebooks.mjs [FILE.ipynb ...]`.
// Uses Debian's `jupyter nbconvert --execute` and the project-local kernelspec
// in .jupyter-local/ (as `npm start` does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { prepareLocalJupyter, root } from './local-jupyter.mjs';

const notebooksDir = path.join(root, 'notebooks');
const env = prepareLocalJupyter();

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
