import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { findBin, nodeArgs } from './find-bin.js';
import { ScatterGatherError } from './errors.js';

const READY_LINE = /^sg-worker listening on (\S+) with (\d+) executors$/;
const START_TIMEOUT_MS = 30_000;

/** sg-worker processes on 127.0.0.1 that this client started, and stops. */
export class LocalServers {
  private constructor(
    private readonly children: ChildProcess[],
    readonly urls: string[],
  ) {}

  static async start(count: number, procs: number, keyFile: string, logFile?: string): Promise<LocalServers> {
    const children: ChildProcess[] = [];
    try {
      const urls = await Promise.all(Array.from({ length: count }, (_, i) => {
        const args = [...nodeArgs(), findBin('@scattergather/worker-server', 'sg-worker'), '--bind', 'tcp://127.0.0.1:0', '--procs', String(procs), '--key-file', keyFile, '--exit-with-stdin'];
        if (logFile !== undefined) args.push('--log-file', `${logFile}.server${i}`);
        // stdin is a pipe from us: when this process dies, the server sees it close and exits. Its own
        // process group keeps a Ctrl-C or kernel interrupt aimed at the client from stopping it.
        const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        children.push(child);
        return waitForReadyLine(child);
      }));
      return new LocalServers(children, urls);
    } catch (error) {
      await new LocalServers(children, []).stop();
      throw error;
    }
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? -1);
  }

  /** SIGTERM each server, then SIGKILL any still there after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    await Promise.all(this.children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }));
  }
}

function waitForReadyLine(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  child.stdin?.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => reject(new ScatterGatherError('ERR_LOCAL_SERVER', `a local sg-worker ${why}${stderr.trim() === '' ? '' : `; it said:\n${stderr.trim()}`}`));
    const timer = setTimeout(() => fail(`did not get ready within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('exit', (code, signal) => { clearTimeout(timer); fail(`exited (${signal ?? `code ${String(code)}`}) before it was ready`); });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = READY_LINE.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Keep draining the pipes so a chatty server never blocks on them, without holding our event loop open.
      child.stdout?.resume();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
      child.unref();
      resolve(match[1] as string);
    });
  });
}
