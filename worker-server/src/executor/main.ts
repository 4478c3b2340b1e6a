import { rmSync } from 'node:fs';
import { Dealer } from 'zeromq';
import { delayOptimizationInBursts, encodeMessage, keepCompiledCode, removeIpcDirectoryOf, runMessageLoop, SocketWriter, type ChannelMessage, type ChannelType } from '@scattergather/protocol';
import { readTaskPipe } from '../task-pipe/read-task-pipe.js';
import { describeThrown } from './describe-thrown.js';
import { DoorbellButton } from './doorbell-button.js';
import { FunctionRegistry } from './function-registry.js';
import { LazyLog } from './lazy-log.js';
import { OutputCapture } from './output-capture.js';
import { requireForModule } from './load-module.js';
import { ParentWatch, watchParent } from './parent-watchdog.js';
import { RefValues } from './ref-values.js';
import { ResultPipeWriter } from './result-pipe-writer.js';
import { TaskRunner } from './task-runner.js';

/**
 * An executor: forked by its worker server, linked to it by a task pipe (its
 * messages in), a result pipe (results out), the server's doorbell (rung when
 * it pauses) and a private ipc:// socket (everything else out), it runs task
 * code and nothing else.
 * argv: ENDPOINT ROUTING_ID PARENT_PID RESULT_PIPE TASK_PIPE DOORBELL MAX_RESULT_BYTES
 */
const [endpoint, routingId, parentPid, resultPipe, taskPipe, doorbellPath, maxResultBytes] = process.argv.slice(2);
if (endpoint === undefined || routingId === undefined || parentPid === undefined || resultPipe === undefined || taskPipe === undefined || doorbellPath === undefined || !(Number(maxResultBytes) > 0)) {
  process.stderr.write('sg-worker executor: started by sg-worker only (argv: ENDPOINT ROUTING_ID PARENT_PID RESULT_PIPE TASK_PIPE DOORBELL MAX_RESULT_BYTES)\n');
  process.exit(2);
}
process.on('disconnect', () => {
  // The server is gone: its directory goes once its last executor has taken its own result pipe (and the doorbell) out of it.
  for (const pipe of [resultPipe, taskPipe, doorbellPath]) rmSync(pipe, { force: true });
  removeIpcDirectoryOf(endpoint);
  process.exit(0);
});

keepCompiledCode();
delayOptimizationInBursts();
// Functions sent by value run in the global scope: give them `require` as a module would have it.
(globalThis as { require?: unknown }).require = requireForModule;
const log = new LazyLog('sg-executor');
const socket = new Dealer({ routingId, linger: 0 });
socket.connect(endpoint);
const writer = new SocketWriter(socket, log);
const send = (message: ChannelMessage<'executorToServer'>): void => writer.send(encodeMessage(message));
const registry = new FunctionRegistry();
const values = new RefValues(send);
const results = new ResultPipeWriter(resultPipe, Number(maxResultBytes));
const doorbell = new DoorbellButton(doorbellPath);
const watch = new ParentWatch(() => watchParent(Number(parentPid), endpoint));
const runner: TaskRunner = new TaskRunner(registry, new OutputCapture(() => runner.printed()), {
  result: (result) => {
    try {
      results.write(result);
    } catch (error) {
      // Too large: refused unwritten, and the runner sends why instead. Anything else may have left half a record:
      // this executor ends, and its server charges the task as a crash.
      if ((error as { code?: unknown }).code === 'ERR_RESULT_TOO_LARGE') throw error;
      log.error({ err: error }, 'cannot write a result');
      process.exit(1);
    }
  },
  // Results are written as tasks end; the server reads them on its own schedule, or at once when rung.
  paused: () => {
    doorbell.press();
    watch.idle();
  },
  output: (items) => send({ t: 'output', items }),
}, values);

// The server is the task pipe's only writer and caps what it takes from controllers: no limit of our own here
// beyond what a u32 record length can say.
const NO_LIMIT = 2 ** 32;
runMessageLoop<ChannelType<'serverToExecutor'>>(readTaskPipe(taskPipe, NO_LIMIT), {
  run: (message) => {
    watch.busy();
    runner.enqueue(message);
  },
  fetched: (message) => values.settle(message),
  install: ({ req, name, code, scope }) => {
    watch.busy();
    try {
      send({ t: 'installed', req, names: registry.install(scope ?? '', name, code) });
    } catch (error) {
      send({ t: 'installed', req, error: describeThrown(error) });
    }
  },
  uninstall: ({ scope }) => registry.uninstall(scope),
  drop: ({ keys }) => values.drop(keys),
}, { log, maxBytes: NO_LIMIT }).catch((error: Error) => {
  // A task pipe that cannot be framed any more: this executor is broken; its server replaces it.
  log.error({ err: error }, 'the task pipe broke');
  process.exit(1);
});

send({ t: 'up', pid: process.pid });
// If the server is killed outright, its executors remove its private ipc directory (see ParentWatch for when the
// watchdog starts).
watch.idle();
