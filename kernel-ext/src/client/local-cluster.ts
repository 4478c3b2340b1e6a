import { spawn, type ChildProcess } from 'node:child_process';
import { makePrivateDir, type ServerSpec } from '@scattergather/protocol';
import { findBin, nodeArgs } from './find-bin.js';
import { waitForReadyLine } from './worker-process.js';

const START_TIMEOUT_MS = 30_000;

/**
 * sg-worker processes on 127.0.0.1 that this client started, and stops. Each
 * also serves this client's controller over a pipe link (FIFOs in a private
 * directory made here): its hops skip ZeroMQ's I/O threads.
 */
export class LocalServers {
  private constructor(
    private readonly children: ChildProcess[],
    readonly specs: ServerSpec[],
    private readonly linkDirs: Array<{ remove(): void }>,
  ) {}

  /**
   * `keyFile` undefined: servers without a key (--no-key). `onExit` hears each server (by number) whose
   * process exits, and how: its controller need not wait for missed heartbeats to run its tasks elsewhere.
   */
  static async start(count: number, procs: number, keyFile: string | undefined, logFile?: string, onExit?: (server: number, how: string) => void): Promise<LocalServers> {
    const children: ChildProcess[] = [];
    const linkDirs = Array.from({ length: count }, () => makePrivateDir('link'));
    try {
      const specs = await Promise.all(linkDirs.map((link, i) => {
        const args = [
          ...nodeArgs(), findBin('@scattergather/worker-server', 'sg-worker'), '--bind', 'tcp://127.0.0.1:0', '--procs', String(procs),
          ...(keyFile === undefined ? ['--no-key'] : ['--key-file', keyFile]), '--pipe-link', link.dir, '--exit-with-stdin',
        ];
        if (logFile !== undefined) args.push('--log-file', `${logFile}.server${i}`);
        // stdin is a pipe from us: when this process dies, the server sees it close and exits. Its own
        // process group keeps a Ctrl-C or kernel interrupt aimed at the client from stopping it.
        const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        children.push(child);
        // A server that stops removes its FIFOs; one killed outright cannot, and nothing else will use them.
        // A removal that fails (never expected: our own private directory) is tried again by stop().
        child.once('exit', (code, signal) => {
          try {
            link.remove();
          } catch {
            // stop() removes it
          }
          onExit?.(i, signal ?? `code ${String(code)}`);
        });
        return waitForReadyLine(child, 'a local sg-worker', START_TIMEOUT_MS, 'ERR_LOCAL_SERVER').then(({ url }): ServerSpec => ({ url, pipe: link.dir }));
      }));
      return new LocalServers(children, specs, linkDirs);
    } catch (error) {
      await new LocalServers(children, [], linkDirs).stop();
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
    for (const link of this.linkDirs) link.remove();
  }
}
