#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { onStopRequest, readKeyFile, writeKeyFile } from '@scattergather/protocol';
import { createLogger } from '../logger.js';
import { WorkerServer } from '../server/worker-server.js';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

interface Options { bind: string; procs: number; keyFile?: string; logFile?: string; maxMessageBytes?: number; executorMemoryMb?: number; installTimeoutMs?: number; exitWithStdin?: boolean }

const program = new Command('sg-worker')
  .description('A scattergather worker server: listens for controllers and runs their tasks on one executor process per core.')
  .option('--bind <url>', 'address to listen on; port 0 picks a free one', 'tcp://127.0.0.1:5555')
  .option('--procs <n>', 'executor processes to fork, one per core by default', positiveInt, availableParallelism())
  .option('--key-file <path>', 'cluster key (from `sg-worker keygen`): encrypt, and obey only controllers that hold it')
  .option('--log-file <path>', 'write the log here instead of stderr')
  .option('--max-message-bytes <n>', 'drop any message larger than this', positiveInt)
  .option('--executor-memory-mb <n>', 'heap limit of each executor; a task that needs more kills only its executor', positiveInt)
  .option('--install-timeout-ms <n>', 'how long an installed module may take to load before the install fails and its executors are replaced (default 30000; an install may ask for more)', positiveInt)
  .option('--exit-with-stdin', 'exit when standard input closes (how a client that started this server takes it down with it)')
  .showHelpAfterError('(run sg-worker --help for every option)')
  .addHelpText('after', '\nWhen ready it prints one line to stdout:\n  sg-worker listening on tcp://HOST:PORT with N executors\nSIGTERM or SIGINT hands unfinished tasks back to their controllers, stops the executors and exits 0.\nWithout --key-file it only binds loopback addresses.')
  .action((options: Options) => serve(options));

program.command('keygen')
  .description('write a new cluster key to FILE (mode 0600); give it to every sg-worker (--key-file) and client (keyFile)')
  .argument('<file>', 'where to write the key; an existing file is never overwritten')
  .action((file: string) => {
    try {
      writeKeyFile(file);
    } catch (error) {
      program.error(`sg-worker keygen: ${(error as Error).message}`);
    }
    process.stdout.write(`wrote a new cluster key to ${file}\n`);
  });

program.parse();

function serve(options: Options): void {
  const log = createLogger('sg-worker', options.logFile);
  let key;
  try {
    key = options.keyFile === undefined ? undefined : readKeyFile(options.keyFile);
  } catch (error) {
    program.error(`sg-worker: ${(error as Error).message}`);
  }
  const server = new WorkerServer({ bind: options.bind, procs: options.procs, log, key, maxMessageBytes: options.maxMessageBytes, executorMemoryMb: options.executorMemoryMb, installTimeoutMs: options.installTimeoutMs });

  onStopRequest(async (reason) => {
    log.info({ reason }, 'stopping');
    await server.stop();
    log.flush();
    process.exit(0);
  }, { exitWithStdin: options.exitWithStdin });

  server.start().then(
    (url) => process.stdout.write(`sg-worker listening on ${url} with ${server.executors} executors\n`),
    (error: Error) => {
      log.debug({ err: error }, 'could not start');
      process.stderr.write(`sg-worker: ${error.message}\n`);
      void server.stop().finally(() => process.exit(1));
    },
  );
}
