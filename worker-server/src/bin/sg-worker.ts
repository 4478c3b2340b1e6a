#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultKeyPath, delayOptimizationInBursts, formatReadyLine, keepCompiledCode, onStopRequest, writeKeyFile } from '@scattergather/protocol';
import { createLogger, type Logger } from '../logger.js';
import { defaultDrainMs, scheduleWalltime } from '../server/walltime.js';
import { bindHost } from '../server/bind-address.js';
import { resolveWorkerKey, type KeyChoice } from '../server/worker-key.js';
import { WorkerServer } from '../server/worker-server.js';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/** A host as a URL holds it: no scheme, port, path or spaces (an IPv6 address in brackets); names are the resolver's business. */
function hostName(text: string): string {
  if (text === '' || /[\s/@?#]/.test(text) || (text.includes(':') && !/^\[[0-9a-fA-F:.%A-Za-z]+\]$/.test(text))) {
    throw new InvalidArgumentError(`expected one host name or address other machines reach this one by (e.g. node7.lab, 10.0.0.7, or [fd00::7] for IPv6), not '${text}'`);
  }
  return text;
}

function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

/** Checked as the flags are read: a malformed address must not get as far as making a key. */
function bindUrl(text: string): string {
  try {
    bindHost(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return text;
}

interface Options extends KeyChoice {
  bind: string; procs: number; advertise?: string; logFile?: string; maxMessageBytes?: number; executorMemoryMb?: number; installTimeoutMs?: number;
  exitWithStdin?: boolean; walltime?: number; drainSeconds?: number; keepBytes?: number; spillBytes?: number; pipeLink?: string;
}

const program = new Command('sg-worker')
  .description('A scattergather worker server: listens for controllers and runs their tasks on one executor process per core.')
  .option('--bind <url>', 'address to listen on; port 0 picks a free one; tcp://0.0.0.0:0 listens on every interface (needs a key)', bindUrl, 'tcp://127.0.0.1:5555')
  .option('--procs <n>', 'executor processes to fork, one per core by default', positiveInt, availableParallelism())
  .option('--key-file <path>', 'cluster key (from `sg-worker keygen`); default: your own key, ~/.config/scattergather/cluster.key ($XDG_CONFIG_HOME), made if missing')
  .addOption(new Option('--key-stdin', 'read the cluster key (the key file\'s text, one line) from the first line of standard input; how launchers pass it').conflicts('keyFile'))
  .addOption(new Option('--no-key', 'no key at all: no encryption, any local process that can connect runs code as you; loopback addresses only').conflicts(['keyFile', 'keyStdin']))
  .option('--advertise <host>', 'the host controllers are told to connect to (for machines with several interfaces or names); default: the bound address, or this machine\'s name for 0.0.0.0', hostName)
  .option('--walltime <seconds>', 'a hard time limit (a batch job\'s): stop taking tasks --drain-seconds before it, hand queued ones back, exit once idle', positiveInt)
  .option('--drain-seconds <seconds>', 'how long before --walltime to stop taking tasks (default: 10 % of it, between 2 and 60)', positiveInt)
  .option('--log-file <path>', 'write the log here instead of stderr')
  .option('--max-message-bytes <n>', 'refuse any message larger than this (a single frame over it is refused by ZeroMQ before it is read, disconnecting its sender); default 2 GiB', positiveInt)
  .option('--executor-memory-mb <n>', 'heap limit of each executor; a task that needs more kills only its executor', positiveInt)
  .option('--install-timeout-ms <n>', 'how long an installed module may take to load before the install fails and its executors are replaced (default 30000; an install may ask for more)', positiveInt)
  .option('--keep-bytes <n>', 'kept results and put values held in memory before the oldest are spilled to local disk (default 1 GiB)', wholeNumber)
  .option('--spill-bytes <n>', 'kept values spilled to a private directory on local disk at most; past both budgets a new one is refused (default 16 GiB; 0: never spill)', wholeNumber)
  .option('--pipe-link <dir>', 'also serve one controller on this machine over two FIFOs made in <dir> (a directory only you can enter): how localCluster links its own controller, a hop cheaper than ZeroMQ; give the controller --server URL#pipe=<dir>')
  .option('--exit-with-stdin', 'exit when standard input closes (how a client or an ssh session that started this server takes it down with it)')
  .showHelpAfterError('(run sg-worker --help for every option)')
  .addHelpText('after', '\nWhen ready it prints one line to stdout:\n  sg-worker listening on tcp://HOST:PORT with N executors\nSIGTERM or SIGINT hands unfinished tasks back to their controllers, stops the executors and exits 0.\nOnly controllers holding the same key are obeyed; with --no-key it only binds loopback addresses.')
  .action((options: Options) => serve(options));

program.command('keygen')
  .description('write a new cluster key to FILE (mode 0600); give it to every sg-worker (--key-file) and client (keyFile)')
  .argument('[file]', 'where to write the key (default: your own key, ~/.config/scattergather/cluster.key); an existing file is never overwritten')
  .action((file: string = defaultKeyPath()) => {
    try {
      if (file === defaultKeyPath()) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeKeyFile(file);
    } catch (error) {
      program.error(`sg-worker keygen: ${(error as Error).message}`);
    }
    process.stdout.write(`wrote a new cluster key to ${file}\n`);
  });

program.parse();

async function serve(options: Options): Promise<void> {
  if (options.drainSeconds !== undefined && options.walltime === undefined) program.error('sg-worker: --drain-seconds counts back from --walltime: give both, or leave it out');
  keepCompiledCode();
  delayOptimizationInBursts();
  const log = loggerOrExit(options.logFile);
  const key = await resolveWorkerKey(options).catch((error: Error) => program.error(`sg-worker: ${error.message}`));
  if (key === undefined) process.stderr.write('sg-worker: warning: --no-key: nothing is encrypted and any process on this machine that can connect runs code as you; leave --no-key out to use your own key\n');
  const server = new WorkerServer({
    bind: options.bind, procs: options.procs, log, key, advertise: options.advertise,
    maxMessageBytes: options.maxMessageBytes, executorMemoryMb: options.executorMemoryMb, installTimeoutMs: options.installTimeoutMs,
    keepBytes: options.keepBytes, spillBytes: options.spillBytes, pipeLink: options.pipeLink,
  });
  const stop = async (reason: string): Promise<void> => {
    log.info({ reason }, 'stopping');
    await server.stop();
    log.flush();
    process.exit(0);
  };
  // One stop, whichever asks first: a walltime reached while a SIGTERM is being handled must not exit under it.
  const requestStop = onStopRequest(stop, { exitWithStdin: options.exitWithStdin });

  server.start().then(
    (url) => {
      process.stdout.write(`${formatReadyLine(url, server.executors)}\n`);
      if (options.walltime !== undefined) {
        const walltimeMs = options.walltime * 1000;
        const drainMs = options.drainSeconds === undefined ? defaultDrainMs(walltimeMs) : options.drainSeconds * 1000;
        scheduleWalltime(server, walltimeMs, drainMs, requestStop, log);
      }
    },
    (error: Error) => {
      log.debug({ err: error }, 'could not start');
      process.stderr.write(`sg-worker: ${error.message}\n`);
      void server.stop().finally(() => process.exit(1));
    },
  );
}

/** The logger, or a clear exit when its file cannot be written. */
function loggerOrExit(file: string | undefined): Logger {
  try {
    return createLogger('sg-worker', file);
  } catch (error) {
    return program.error(`sg-worker: ${(error as Error).message}`);
  }
}
