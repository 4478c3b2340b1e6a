import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pull, Push, Router, type Readable } from 'zeromq';
import { decodeMessage, type Message } from '@scattergather/protocol';
import { ROOT, SG_CONTROLLER, stopProcess, track } from './processes';

const EXECUTOR_MAIN = join(ROOT, 'worker-server', 'dist', 'executor', 'main.js');

/**
 * Reads `socket` until a message `wanted` accepts (returned), skipping others;
 * fails after `timeoutMs`. ROUTER sockets: frame 0, the sender, is dropped.
 */
export async function receiveUntil(socket: Readable, wanted: (message: Message) => boolean, timeoutMs: number, routed = false): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    socket.receiveTimeout = Math.max(1, deadline - Date.now());
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch {
      break;
    }
    const decoded = decodeMessage(routed ? frames.slice(1) : frames);
    if (decoded.ok && wanted(decoded.message)) return decoded.message;
  }
  throw new Error(`no wanted message within ${timeoutMs} ms`);
}

/** A private directory for ipc:// endpoints, removed by `remove`. */
function ipcDir(): { endpoint(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-bare-'));
  return { endpoint: (name) => `ipc://${join(dir, name)}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BareController {
  child: ChildProcess;
  /** Where the test sends what a client would (submit, install, command). */
  jobs: Push;
  /** Where the controller sends what a client would get (ready, results, reply). */
  results: Pull;
  stop(): Promise<void>;
}

/** A real sg-controller (no key) whose client is the test itself, over its own PUSH/PULL pair. */
export async function startBareController(servers: string[], extraArgs: string[] = []): Promise<BareController> {
  const dir = ipcDir();
  const jobs = new Push({ linger: 0, sendTimeout: 5000 });
  const results = new Pull({ linger: 0 });
  await jobs.bind(dir.endpoint('jobs'));
  await results.bind(dir.endpoint('results'));
  const args = [SG_CONTROLLER, '--jobs', dir.endpoint('jobs'), '--results', dir.endpoint('results'), '--no-key', ...servers.flatMap((url) => ['--server', url]), ...extraArgs];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'ignore'] });
  track(child);
  return {
    child, jobs, results,
    stop: async () => {
      await stopProcess(child);
      jobs.close();
      results.close();
      dir.remove();
    },
  };
}

export interface BareExecutor {
  child: ChildProcess;
  /** The executor's one peer, as its worker server's pool would be. */
  router: Router;
  routingId: string;
  send(frames: Buffer[]): Promise<void>;
  stop(): Promise<void>;
}

/** A real executor process, forked by the test, connected to a ROUTER of the test's instead of a worker server's pool. */
export async function startBareExecutor(): Promise<BareExecutor> {
  const dir = ipcDir();
  const router = new Router({ linger: 0, mandatory: true, sendTimeout: 5000 });
  await router.bind(dir.endpoint('executors'));
  const routingId = 'bare-executor';
  const child = fork(EXECUTOR_MAIN, [dir.endpoint('executors'), routingId, String(process.pid)], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  track(child);
  await receiveUntil(router, (message) => message.t === 'up', 20_000, true);
  return {
    child, router, routingId,
    send: (frames) => router.send([routingId, ...frames]),
    stop: async () => {
      await stopProcess(child, 'SIGKILL');
      router.close();
      dir.remove();
    },
  };
}
