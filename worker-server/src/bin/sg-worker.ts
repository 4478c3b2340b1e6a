#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../logger.js';
import { WorkerServer } from '../server/worker-server.js';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

const program = new Command('sg-worker')
  .description('A scattergather worker server: listens for controllers and runs their tasks on one executor process per core.')
  .option('--bind <url>', 'address to listen on; port 0 picks a free one', 'tcp://127.0.0.1:5555')
  .option('--procs <n>', 'executor processes to fork, one per core by default', positiveInt, availableParallelism())
  .option('--log-file <path>', 'write the log here instead of stderr')
  .option('--exit-with-stdin', 'exit when standard input closes (how a client that started this server takes it down with it)')
  .showHelpAfterError('(run sg-worker --help for every option)')
  .addHelpText('after', '\nWhen ready it prints one line to stdout:\n  sg-worker listening on tcp://HOST:PORT with N executors\nSIGTERM or SIGINT hands unfinished tasks back to their controllers, stops the executors and exits 0.');

program.parse();
const options = program.opts<{ bind: string; procs: number; logFile?: string; exitWithStdin?: boolean }>();
const log = createLogger('sg-worker', options.logFile);
const server = new WorkerServer({ bind: options.bind, procs: options.procs, log });

let stopping = false;
async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'stopping');
  await server.stop();
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
if (options.exitWithStdin === true) {
  process.stdin.on('end', () => void stop('stdin closed')).on('error', () => void stop('stdin closed')).resume();
}

server.start().then(
  (url) => process.stdout.write(`sg-worker listening on ${url} with ${server.executors} executors\n`),
  (error: Error) => {
    log.debug({ err: error }, 'could not start');
    process.stderr.write(`sg-worker: ${error.message}\n`);
    void server.stop().finally(() => process.exit(1));
  },
);
