#!/usr/bin/env node
// npm start: opens the classic Jupyter Notebook UI on notebooks/ with the
// scattergather kernel registered in a project-local prefix (.jupyter-local/),
// and prints the URL. Ctrl-C stops it (and every kernel it started).
// Flags: --port N (default 8888, or a free one if taken), --ip ADDR (default 127.0.0.1).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { local, prepareLocalJupyter, root } from './local-jupyter.mjs';

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function portFree(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function choosePort(wanted, host) {
  if (await portFree(wanted, host)) return wanted;
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const env = prepareLocalJupyter();

const ip = flag('ip', '127.0.0.1');
const port = await choosePort(Number(flag('port', '8888')), ip);
const token = randomBytes(12).toString('hex');
const logFile = path.join(local, 'notebook.log');
const log = fs.openSync(logFile, 'a');
const args = [
  'notebook', '--no-browser', `--ip=${ip}`, `--port=${port}`, '--NotebookApp.port_retries=0',
  `--NotebookApp.token=${token}`, `--NotebookApp.notebook_dir=${path.join(root, 'notebooks')}`,
  '--MappingKernelManager.default_kernel_name=scattergather',
];
if (process.getuid?.() === 0) args.push('--allow-root');
const child = spawn('jupyter', args, { env, cwd: path.join(root, 'notebooks'), stdio: ['ignore', log, log] });

const base = `http://${ip}:${port}/`;
const deadline = Date.now() + 30_000;
for (;;) {
  if (child.exitCode !== null) {
    console.error(`jupyter notebook exited (${child.exitCode}); see ${logFile}`);
    process.exit(1);
  }
  try {
    const res = await fetch(`${base}api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(1000) });
    if (res.ok) break;
  } catch {
    // not up yet
  }
  if (Date.now() > deadline) {
    console.error(`jupyter notebook did not start within 30 s; see ${logFile}`);
    child.kill('SIGTERM');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

console.log(`Jupyter Notebook is running on notebooks/ with the kernel "TypeScript (scatter/gather)".`);
console.log(`Open:  ${base}notebooks/quickstart.ipynb?token=${token}`);
console.log(`Files: ${base}tree?token=${token}`);
console.log(`Log:   ${logFile}.  Press Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 8000).unref();
  });
}
child.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));
