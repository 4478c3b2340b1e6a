import { spawn, type ChildProcess } from 'node:child_process';
import { Pull, Push } from 'zeromq';
import { encodeMessage, formatServerSpec, makePrivateDir, receiveLimit, runMessageLoop, SocketWriter, type ChannelHandlers, type ChannelMessage, type ServerSpec, type WireLog } from '@scattergather/protocol';
import type { ClientOptions } from './api-types.js';
import { findBin, nodeArgs } from './find-bin.js';

const quietLog: WireLog = { warn: () => undefined, debug: () => undefined };

/**
 * The client's own controller: a child process talking over a PUSH/PULL pair
 * in a private (0700) ipc:// directory. The controller's stdin is a pipe from
 * here, so it exits when this process dies, however it dies.
 */
export class ControllerProcess {
  private readonly ipc = makePrivateDir('client');
  private readonly jobs = new Push({ linger: 0, sendHighWaterMark: 0 });
  private readonly results = new Pull({ linger: 0, ...receiveLimit() });
  private readonly writer = new SocketWriter(this.jobs, quietLog);
  private child: ChildProcess | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private markExited!: (status: { code: number | null; signal: NodeJS.Signals | null }) => void;
  private stderrTail = '';
  /** Bytes received from the controller so far. */
  bytesReceived = 0;

  constructor() {
    this.exited = new Promise((resolve) => { this.markExited = resolve; });
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get stderr(): string {
    return this.stderrTail.trim();
  }

  /** `servers` 'later': the controller starts now and waits for them (sendServers), so its start overlaps theirs. */
  async start(servers: ServerSpec[] | 'later', options: ClientOptions, handlers: ChannelHandlers<'controllerToClient'>, sharedDir?: string): Promise<void> {
    const jobsUrl = this.ipc.endpoint('jobs');
    const resultsUrl = this.ipc.endpoint('results');
    await this.jobs.bind(jobsUrl);
    await this.results.bind(resultsUrl);
    void runMessageLoop(this.results, handlers, { log: quietLog, onReceived: (bytes) => { this.bytesReceived += bytes; } });

    const args = [...nodeArgs(), findBin('@scattergather/controller', 'sg-controller'), '--jobs', jobsUrl, '--results', resultsUrl, '--exit-with-stdin'];
    if (servers === 'later') args.push('--servers-from-stdin');
    else for (const spec of servers) args.push('--server', formatServerSpec(spec));
    if (options.logFile !== undefined) args.push('--log-file', options.logFile);
    if (options.noKey === true) args.push('--no-key');
    else if (options.keyFile !== undefined) args.push('--key-file', options.keyFile);
    if (options.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(options.heartbeatMs));
    if (options.retries !== undefined) args.push('--retries', String(options.retries));
    if (options.timeoutMs !== undefined) args.push('--timeout-ms', String(options.timeoutMs));
    if (options.weight !== undefined) args.push('--weight', String(options.weight));
    if (sharedDir !== undefined) args.push('--shared-dir', sharedDir);
    // Its own process group: a Ctrl-C or a kernel interrupt aimed at the client's group must not reach it.
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-4000); });
    child.stdin?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      this.closeSockets();
      this.ipc.remove();
      this.markExited({ code, signal });
    });
    // The client's own event loop must not be held open by its controller.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }

  /** The servers of a controller started with them 'later': one line on its stdin. */
  sendServers(servers: ServerSpec[]): void {
    this.child?.stdin?.write(`${servers.map(formatServerSpec).join(' ')}\n`);
  }

  send(message: ChannelMessage<'clientToController'>): void {
    this.writer.send(encodeMessage(message));
  }

  /** Waits up to `ms` for the controller to exit, then kills it. */
  async stop(ms: number): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await this.exited;
      clearTimeout(timer);
    }
    this.closeSockets();
    this.ipc.remove();
  }

  private closeSockets(): void {
    if (!this.jobs.closed) this.jobs.close();
    if (!this.results.closed) this.results.close();
  }
}
