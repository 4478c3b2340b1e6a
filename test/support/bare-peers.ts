import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pull, Push, Router, type Readable } from 'zeromq';
import { decodeMessage, RecordSplitter, type Message, type ResultItem } from '@scattergather/protocol';
import { ROOT, SG_CONTROLLER, stopProcess, track } from './processes';

const EXECUTOR_MAIN = join(ROOT, 'worker-server', 'dist', 'executor', 'main.js');
// The pipes' records, from the build (not part of the package's exports).
const DIST = join(ROOT, 'worker-server', 'dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { decodeResultRecord } = require(join(DIST, 'result-pipe', 'result-record.js')) as typeof import('../../worker-server/src/result-pipe/result-record.js');
const { TaskPipeWriter } = require(join(DIST, 'task-pipe', 'task-pipe-writer.js')) as typeof import('../../worker-server/src/task-pipe/task-pipe-writer.js');
/* eslint-enable @typescript-eslint/no-require-imports */

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
function ipcDir(): { dir: string; endpoint(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-bare-'));
  return { dir, endpoint: (name) => `ipc://${join(dir, name)}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
  /** What the executor says (up, output, ...), as its worker server's pool would hear it. */
  router: Router;
  routingId: string;
  /** Down its task pipe. */
  send(frames: Buffer[]): Promise<void>;
  /** Reads the executor's result pipe until `enough` accepts a result (each is given once); fails after `timeoutMs`. */
  receiveResults(enough: (result: ResultItem) => boolean, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** A real executor process, forked by the test, linked to the test's ROUTER and pipes instead of a worker server's pool. */
export async function startBareExecutor(): Promise<BareExecutor> {
  const dir = ipcDir();
  const router = new Router({ linger: 0, mandatory: true, sendTimeout: 5000 });
  await router.bind(dir.endpoint('executors'));
  const routingId = 'bare-executor';
  // Its pipes, as a worker server's pool makes them for each executor: results back, the doorbell, and tasks in.
  const pipePath = join(dir.dir, 'results');
  const doorbellPath = join(dir.dir, 'doorbell');
  const tasksPath = join(dir.dir, 'tasks');
  execFileSync('mkfifo', ['-m', '600', pipePath, doorbellPath, tasksPath]);
  const pipe = openSync(pipePath, constants.O_RDONLY | constants.O_NONBLOCK);
  // The doorbell it rings when it pauses: held open, never read (this test reads the pipe on its own schedule).
  const doorbell = openSync(doorbellPath, constants.O_RDONLY | constants.O_NONBLOCK);
  // Everything the test sends it goes down its task pipe, as a worker server's pool sends it.
  const tasks = new TaskPipeWriter(tasksPath);
  const splitter = new RecordSplitter(2 ** 31);
  const chunk = Buffer.alloc(1 << 20);
  const child = fork(EXECUTOR_MAIN, [dir.endpoint('executors'), routingId, String(process.pid), pipePath, tasks.path, doorbellPath, String(2 ** 31)], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  track(child);
  await receiveUntil(router, (message) => message.t === 'up', 20_000, true);
  return {
    child, router, routingId,
    send: async (frames) => tasks.send(frames),
    receiveResults: async (enough, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        let n = 0;
        try {
          n = readSync(pipe, chunk, 0, chunk.byteLength, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        }
        for (const record of splitter.push(Buffer.from(chunk.subarray(0, n)))) if (enough(decodeResultRecord(record))) return;
        if (n === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`not enough results within ${timeoutMs} ms`);
    },
    stop: async () => {
      await stopProcess(child, 'SIGKILL');
      router.close();
      closeSync(pipe);
      closeSync(doorbell);
      tasks.close();
      dir.remove();
    },
  };
}
