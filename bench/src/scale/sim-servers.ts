/**
 * The simulated worker servers of `npm run bench -- --scale`, in a process of
 * their own: binds `count` SimulatedServers of `executors` each on 127.0.0.1,
 * prints `{ "urls": [...] }` as one line, and exits when its stdin closes.
 *
 * Usage: node sim-servers.js COUNT EXECUTORS
 */
import type { WireLog } from '@scattergather/protocol';
import { SimulatedServer } from './simulated-server.js';

const [count, executors] = process.argv.slice(2).map(Number);
if (!Number.isInteger(count) || !Number.isInteger(executors) || (count as number) < 1 || (executors as number) < 1) {
  console.error('usage: sim-servers.js COUNT EXECUTORS');
  process.exit(2);
}

const log: WireLog = {
  warn: (fields, message) => console.error(`sim-servers: ${message} ${JSON.stringify(fields)}`),
  debug: () => undefined,
};
const servers = Array.from({ length: count as number }, (_, i) => new SimulatedServer(i, executors as number, log));

function shutdown(code: number): never {
  for (const server of servers) server.close();
  process.exit(code);
}

process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();
process.on('SIGTERM', () => shutdown(0));
Promise.all(servers.map((s) => s.start())).then(
  (urls) => process.stdout.write(`${JSON.stringify({ urls })}\n`),
  (error: unknown) => {
    console.error(`sim-servers: ${(error as Error).message}`);
    shutdown(1);
  },
);
