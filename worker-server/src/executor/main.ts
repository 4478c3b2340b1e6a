import { Dealer } from 'zeromq';
import { encodeMessage, receiveLimit, removeIpcDirectoryOf, runMessageLoop, SocketWriter, errorStateOf, type Message } from '@scattergather/protocol';
import { createLogger } from '../logger.js';
import { FunctionRegistry } from './function-registry.js';
import { OutputCapture } from './output-capture.js';
import { requireForModule } from './load-module.js';
import { watchParent } from './parent-watchdog.js';
import { RefValues } from './ref-values.js';
import { TaskRunner } from './task-runner.js';

/**
 * An executor: forked by its worker server, connected to it over a private
 * ipc:// socket, it runs task code and nothing else.
 * argv: ENDPOINT ROUTING_ID PARENT_PID
 */
const [endpoint, routingId, parentPid] = process.argv.slice(2);
if (endpoint === undefined || routingId === undefined || parentPid === undefined) {
  process.stderr.write('sg-worker executor: started by sg-worker only (argv: ENDPOINT ROUTING_ID PARENT_PID)\n');
  process.exit(2);
}
// If the server is killed outright, its executors remove its private ipc directory.
watchParent(Number(parentPid), endpoint);
process.on('disconnect', () => {
  removeIpcDirectoryOf(endpoint);
  process.exit(0);
});

// Functions sent by value run in the global scope: give them `require` as a module would have it.
(globalThis as { require?: unknown }).require = requireForModule;
const log = createLogger('sg-executor');
const socket = new Dealer({ routingId, linger: 0, ...receiveLimit() });
socket.connect(endpoint);
const writer = new SocketWriter(socket, log);
const send = (message: Message): void => writer.send(encodeMessage(message));
const registry = new FunctionRegistry();
const values = new RefValues(send);
const runner: TaskRunner = new TaskRunner(registry, new OutputCapture(() => runner.printed()), (results) => send({ t: 'done', results }), (items) => send({ t: 'output', items }), values);

void runMessageLoop(socket, {
  run: (message) => runner.enqueue(message),
  fetched: (message) => values.settle(message),
  install: ({ req, name, code }) => {
    try {
      send({ t: 'installed', req, names: registry.install(name, code) });
    } catch (error) {
      send({ t: 'installed', req, error: errorStateOf(error instanceof Error ? error : new Error(String(error))) });
    }
  },
}, { log });

send({ t: 'up', pid: process.pid });
