import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ScatterGatherError } from '../errors.js';
import { waitForReadyLine } from '../worker-process.js';
import { explainSshFailure, formatSaid, sshNotRunError } from './ssh-failure.js';
import { sshArgv } from './ssh-command.js';
import type { SshTarget } from './ssh-hosts.js';

const STDERR_TAIL_CHARS = 4000;

/**
 * One ssh session running one remote sg-worker. The worker lives exactly as long as the session:
 * it exits when its stdin closes (--exit-with-stdin), and the remote sshd closes that stdin when
 * this ssh process ends, whether by stop(), by a signal, or with the client that started it.
 */
export class SshSession {
  private stderr = '';
  private spawnError: Error | undefined;

  private constructor(
    readonly target: SshTarget,
    private readonly sshArgs: readonly string[],
    private readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS); });
    child.once('error', (error) => { this.spawnError = error; });
    // Writing to a session that already ended fails with EPIPE; its exit code and stderr say why.
    child.stdin?.on('error', () => undefined);
  }

  /** Starts ssh and hands it the key line, which only the remote sg-worker reads (never argv or environment). */
  static open(target: SshTarget, sshArgs: readonly string[], command: string, keyLine: string): SshSession {
    // Its own process group: a kernel interrupt (SIGINT to the kernel's group) must not end the session.
    const child = spawn('ssh', sshArgv(target, sshArgs, command), { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const session = new SshSession(target, sshArgs, child);
    child.stdin?.write(`${keyLine}\n`);
    return session;
  }

  /**
   * The worker's URL from its ready line; rejects, naming the host and the fix, if it exits or
   * `timeoutMs` passes first (what is left of the launch's `budgetMs`, which the error names).
   */
  async ready(timeoutMs: number, budgetMs = timeoutMs): Promise<string> {
    try {
      const { url } = await waitForReadyLine(this.child, `sg-worker on ${this.target.host} (over ssh)`, timeoutMs);
      return url;
    } catch (error) {
      throw await this.failure(error, budgetMs);
    }
  }

  /** Calls `listener` with how once ssh has ended (at once if it has): its worker is gone with it. */
  onExit(listener: (how: string) => void): void {
    if (this.exited()) listener(this.child.signalCode ?? `code ${String(this.child.exitCode ?? this.spawnError?.message)}`);
    else this.child.once('exit', (code, signal) => listener(signal ?? `code ${String(code)}`));
  }

  /** Closes the session's stdin (the worker hands its tasks back and exits), then ends ssh if it lingers. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited()) return;
    const exited = once(this.child, 'exit');
    this.child.stdin?.end();
    const signals = [setTimeout(() => this.signal('SIGTERM'), graceMs), setTimeout(() => this.signal('SIGKILL'), graceMs + 2000)];
    await exited;
    signals.forEach(clearTimeout);
  }

  private exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null || this.spawnError !== undefined;
  }

  /** The whole group: a ProxyCommand or ProxyJump runs in it too. */
  private signal(name: NodeJS.Signals): void {
    try {
      process.kill(-(this.child.pid as number), name);
    } catch {
      // already gone
    }
  }

  private async failure(error: unknown, budgetMs: number): Promise<ScatterGatherError> {
    const { host } = this.target;
    if (this.spawnError !== undefined) return sshNotRunError(host, this.spawnError);
    if (!this.exited()) {
      await this.stop(0);
      return new ScatterGatherError('ERR_SSH_TIMEOUT', `sg-worker on ${host} did not report ready within the ready timeout (${budgetMs} ms); the session was ended. A slow login or a busy host may need a longer readyTimeoutMs.${formatSaid(this.stderr)}`, { cause: error });
    }
    // Let the pipes drain so the message has ssh's last words.
    if (this.child.stderr !== null && !this.child.stderr.readableEnded) await Promise.race([once(this.child.stderr, 'end'), new Promise((r) => setTimeout(r, 1000))]);
    return new ScatterGatherError('ERR_SSH', explainSshFailure(host, this.sshArgs, this.child.exitCode, this.stderr), { cause: error });
  }
}
