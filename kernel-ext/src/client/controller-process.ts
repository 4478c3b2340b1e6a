import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import {
  DEFAULT_MAX_MESSAGE_BYTES, encodeMessage, formatServerSpec, readPipeFrames, runMessageLoop, writePipeFrames,
  type ChannelHandlers, type ChannelMessage, type ServerSpec, type WireLog,
} from '@scattergather/protocol';
import type { ClientOptions } from './api-types.js';
import { findBin, nodeArgs } from './find-bin.js';

const quietLog: WireLog = { warn: () => undefined, debug: () => undefined };

/** The controller's file descriptors for its jobs (from us) and its results (to us): pipes only the two processes hold. */
const JOBS_FD = 3;
const RESULTS_FD = 4;

/**
 * The client's own controller: a child process talking over two pipes made
 * when it is spawned (the kernel wakes each side directly, no ZeroMQ I/O
 * thread between them). The controller's stdin is a pipe from here too, so it
 * exits when this process dies, however it dies.
 */
export class ControllerProcess {
  private jobs: Socket | undefined;
  private results: Socket | undefined;
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
    const args = [...nodeArgs(), findBin('@scattergather/controller', 'sg-controller'), '--jobs', `fd://${JOBS_FD}`, '--results', `fd://${RESULTS_FD}`, '--exit-with-stdin'];
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
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const jobs = child.stdio[JOBS_FD] as Socket;
    const results = child.stdio[RESULTS_FD] as Socket;
    this.jobs = jobs;
    this.results = results;
    // A controller that is gone cannot be written to or read from: its exit says so (ERR_CONTROLLER_EXITED).
    for (const pipe of [jobs, results]) pipe.on('error', () => undefined);
    // A stream that cannot be framed any more cannot be trusted further: end the controller (waits then reject with ERR_CONTROLLER_EXITED).
    // Nothing is dropped for its size (maxBytes: Infinity): on this one link a lost batch of results would be lost for good,
    // and a record past the framing's limit ends the controller, loudly, instead.
    runMessageLoop(readPipeFrames(results, DEFAULT_MAX_MESSAGE_BYTES), handlers, { log: quietLog, maxBytes: Infinity, onReceived: (bytes) => { this.bytesReceived += bytes; } })
      .catch(() => child.kill('SIGKILL'));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-4000); });
    child.stdin?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      this.closePipes();
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
    if (this.jobs !== undefined && !this.jobs.destroyed) writePipeFrames(this.jobs, encodeMessage(message));
  }

  /** Waits up to `ms` for the controller to exit, then kills it. */
  async stop(ms: number): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await this.exited;
      clearTimeout(timer);
    }
    this.closePipes();
  }

  private closePipes(): void {
    this.jobs?.destroy();
    this.results?.destroy();
  }
}
