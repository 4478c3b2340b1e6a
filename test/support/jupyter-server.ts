/**
 * A real Jupyter server for tests: Debian's `jupyter server` (or the classic
 * `jupyter notebook`) on a free 127.0.0.1 port with a token, private JUPYTER_*
 * dirs, and the scattergather kernelspec installed into a temp prefix with
 * `sg-kernel install --prefix`. `stop()` kills it and everything it started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SG_KERNEL_BIN = path.join(REPO_ROOT, 'kernel-ext', 'dist', 'bin', 'sg-kernel.js');

export interface JupyterServer {
  baseUrl: string;
  token: string;
  rootDir: string;
  /** The private Jupyter directories and the kernelspec prefix live here. */
  home: string;
  env: NodeJS.ProcessEnv;
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  rootDir: string;
  /** 'server' (jupyter-server, default) or 'notebook' (the classic Notebook UI). */
  app?: 'server' | 'notebook';
  timeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Private JUPYTER_* dirs under `home`, with the kernelspec installed into `home/prefix`. */
export function privateJupyterEnv(home: string): NodeJS.ProcessEnv {
  const prefix = path.join(home, 'prefix');
  const install = spawnSync(process.execPath, [SG_KERNEL_BIN, 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`sg-kernel install failed: ${install.stderr}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'),
    JUPYTER_CONFIG_DIR: path.join(home, 'config'),
    JUPYTER_DATA_DIR: path.join(home, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(home, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
    IPYTHONDIR: path.join(home, 'ipython'),
  };
  for (const k of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR'] as const) fs.mkdirSync(env[k] as string, { recursive: true });
  return env;
}

async function waitForStatus(baseUrl: string, token: string, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jupyter exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('jupyter did not answer /api/status in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startJupyterServer(options: StartOptions): Promise<JupyterServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-jupyter-'));
  const env = privateJupyterEnv(home);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const app = options.app ?? 'server';
  const cfg = app === 'server' ? 'ServerApp' : 'NotebookApp';
  const args = [
    app, '--allow-root', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--${cfg}.port_retries=0`,
    `--${cfg}.token=${token}`, `--${cfg}.open_browser=False`,
    app === 'server' ? `--ServerApp.root_dir=${options.rootDir}` : `--NotebookApp.notebook_dir=${options.rootDir}`,
  ];
  let log = '';
  const child = spawn('jupyter', args, { env, cwd: options.rootDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForStatus(baseUrl, token, child, Date.now() + (options.timeoutMs ?? 30_000));
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  return { baseUrl, token, rootDir: options.rootDir, home, env, log: () => log, stop };
}
