import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Compiled to test/dist/support: the repo root is three levels up.
import { createInterface } from 'node:readline';

export const ROOT = join(__dirname, '..', '..', '..');
export const SG_WORKER = join(ROOT, 'worker-server', 'dist', 'bin', 'sg-worker.js');
export const SG_CONTROLLER = join(ROOT, 'controller', 'dist', 'bin', 'sg-controller.js');

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every live process whose parent is `pid`, from /proc. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** Live processes whose command line contains `needle`. */
export function processesMatching(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

export interface WorkerProcess {
  child: ChildProcess;
  url: string;
  readyLine: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Lets killAll stop `child` if a test leaves it running. */
export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Which sg-worker to start (default: the checkout's build) and where. */
export interface WorkerCommand { bin?: string; cwd?: string }

/**
 * Starts a real sg-worker on a free 127.0.0.1 port (unless `extraArgs` has its own --bind) and waits (bounded)
 * for its ready line. `input` is written to its stdin, which then stays open.
 */
export async function startWorker(procs: number, extraArgs: string[] = [], input?: string, { bin = SG_WORKER, cwd }: WorkerCommand = {}): Promise<WorkerProcess> {
  const bind = extraArgs.includes('--bind') ? [] : ['--bind', 'tcp://127.0.0.1:0'];
  const child = spawn(process.execPath, [bin, ...bind, '--procs', String(procs), ...extraArgs], { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.write(input);
  track(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sg-worker not ready in 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sg-worker exited ${String(code)}: ${stderr}`)); });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => { clearTimeout(timer); resolve(line); });
  });
  child.removeAllListeners('exit');
  child.once('exit', () => running.delete(child));
  const url = /listening on (\S+) with/.exec(readyLine)?.[1] ?? '';
  return { child, url, readyLine, stop: () => stopProcess(child) };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Stops whatever a test left running (SIGTERM, then SIGKILL after 5 s): call it in afterEach. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

export interface CommandResult { code: number | null; stdout: string; stderr: string }

/** Runs a node script to its end (bounded) and returns its output; `options` may set env, uid and gid. */
export function run(args: string[], timeoutMs = 20_000, options: SpawnOptions = {}): Promise<CommandResult> {
  return runCommand(process.execPath, args, { ...options, timeoutMs });
}

/** Runs any command to its end (bounded) and returns its output; `options` may set cwd, env, uid and gid. */
export function runCommand(command: string, args: string[], { timeoutMs = 20_000, ...options }: SpawnOptions & { timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a command over time is killed with everything it started (npm runs scripts).
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    const timer = setTimeout(() => {
      process.kill(-(child.pid as number), 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} ran over ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    // 'close', not 'exit': all of its output has been read by then.
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
