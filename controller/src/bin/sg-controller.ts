#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { delayOptimizationInBursts, keepCompiledCode, loadOrCreateDefaultKey, onStopRequest, parseServerSpec, readFirstStdinLine, readKeyFile, removePrivateDirOf, removeSharedDir, type ClusterKey, type ServerSpec } from '@scattergather/protocol';
import { Controller } from '../controller.js';
import { clientFds, fdOf } from '../links/client-link.js';
import { createLogger, type Logger } from '../logger.js';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function positiveNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

/** --jobs / --results: fd://N (N ≥ 3) or an ipc:// endpoint. */
function clientUrl(text: string): string {
  try {
    if (fdOf(text) !== undefined || text.startsWith('ipc://')) return text;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  throw new InvalidArgumentError('expected fd://N or an ipc:// endpoint');
}

function serverSpec(text: string, previous: ServerSpec[] = []): ServerSpec[] {
  try {
    return [...previous, parseServerSpec(text)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const program = new Command('sg-controller')
  .description('The scattergather controller. A client (spawnScatterGather, localCluster, the %cluster magic) normally starts it; it queues the client\'s scatter sets and keeps every executor of every worker server busy.')
  .option('--jobs <url>', 'where the client\'s jobs come from: fd://N, a pipe it passed as file descriptor N, or the ipc:// endpoint it bound its job PUSH socket to', clientUrl)
  .option('--results <url>', 'where results go: fd://N, a pipe the client passed, or the ipc:// endpoint it bound its result PULL socket to', clientUrl)
  .option('--server <url[*n]>', 'a worker server, optionally with how many of its executors to use; repeat for each', serverSpec)
  .addOption(new Option('--servers-from-stdin', 'take the worker servers (URL[*n], separated by spaces) from the first line of standard input instead: how a client starts its controller while the servers it launched still start').conflicts('server'))
  .option('--heartbeat-ms <ms>', 'heartbeat period; a server silent for 3 periods is lost', positiveInt, 1000)
  .option('--retries <n>', 'times a task whose executor or server died is run again', wholeNumber, 2)
  .addOption(new Option('--timeout-ms <ms>', 'default time limit per task').argParser(positiveInt))
  .option('--weight <w>', 'this client\'s share of each worker server\'s executors when other clients queue work there too, relative to theirs', positiveNumber, 1)
  .option('--key-file <path>', 'cluster key (from `sg-worker keygen`) the servers were started with; default: your own key, ~/.config/scattergather/cluster.key ($XDG_CONFIG_HOME), made if missing')
  .addOption(new Option('--no-key', 'talk to servers started with --no-key (no encryption, loopback only)').conflicts('keyFile'))
  .option('--log-file <path>', 'write the log here (default: warnings to stderr)')
  .option('--exit-with-stdin', 'exit when standard input closes, so the controller never outlives its client')
  .option('--shared-dir <dir>', 'the client\'s shared-array directory (in /dev/shm), removed if the client dies without doing so')
  .showHelpAfterError('(run sg-controller --help for every option)');

program.parse();
const options = program.opts<{
  jobs?: string; results?: string; server?: ServerSpec[]; serversFromStdin?: boolean; heartbeatMs: number; retries: number; timeoutMs?: number; keyFile?: string; weight: number; key: boolean; logFile?: string; exitWithStdin?: boolean; sharedDir?: string;
}>();
// Required, but checked here rather than by commander, which would name a missing one before a mistyped flag.
const jobsUrl = options.jobs ?? program.error('error: required option \'--jobs <url>\' not specified');
const resultsUrl = options.results ?? program.error('error: required option \'--results <url>\' not specified');
try {
  clientFds(jobsUrl, resultsUrl);
} catch (error) {
  program.error(`sg-controller: ${(error as Error).message}`);
}
let log: Logger;
try {
  log = createLogger(options.logFile);
} catch (error) {
  program.error(`sg-controller: ${(error as Error).message}`);
}
let key: ClusterKey | undefined;
try {
  if (options.key) key = options.keyFile === undefined ? loadOrCreateDefaultKey().key : readKeyFile(options.keyFile);
} catch (error) {
  program.error(`sg-controller: ${(error as Error).message}`);
}
const SERVERS_LINE_TIMEOUT_MS = 60_000;
const CLIENT_GONE = 'the client closed its link';

/** The servers, from --server or from the first line of stdin (--servers-from-stdin). */
async function serversToUse(): Promise<ServerSpec[]> {
  if (options.serversFromStdin !== true) return options.server ?? [];
  const read = await readFirstStdinLine(SERVERS_LINE_TIMEOUT_MS, 1 << 20);
  if (!('line' in read)) return program.error(`sg-controller: --servers-from-stdin: no line of servers on standard input (${read.missing})`);
  try {
    return read.line.split(' ').filter((word) => word !== '').map(parseServerSpec);
  } catch (error) {
    return program.error(`sg-controller: --servers-from-stdin: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  keepCompiledCode();
  delayOptimizationInBursts();
  const servers = await serversToUse();
  if (servers.length === 0) program.error('sg-controller: give at least one --server URL (or --servers-from-stdin and a line of them)');
  const controller = new Controller({
    key,
    jobsUrl, resultsUrl, servers, log,
    heartbeatMs: options.heartbeatMs, retries: options.retries, timeoutMs: options.timeoutMs, weight: options.weight,
  });

  const requestStop = onStopRequest(async (reason) => {
    log.info({ reason }, 'stopping');
    await controller.stop();
    // A client that died could not remove its private ipc directory or shared-array directory: remove them,
    // if they are ones (never anything else).
    if (reason === 'stdin closed' || reason === CLIENT_GONE) {
      const kept = jobsUrl.startsWith('ipc://') ? removePrivateDirOf([jobsUrl, resultsUrl]) : undefined;
      if (kept !== undefined) log.warn({ reason: kept }, 'left the client\'s ipc directory alone');
      const sharedKept = options.sharedDir === undefined ? undefined : removeSharedDir(options.sharedDir);
      if (sharedKept !== undefined) log.warn({ reason: sharedKept }, 'left the client\'s shared-array directory alone');
    }
    log.flush();
    process.exit(0);
  }, { exitWithStdin: options.exitWithStdin });
  // Its link ends only when the client is gone (its pipes closed): then stop as for a closed stdin.
  controller.run().then(() => requestStop(CLIENT_GONE), (error: Error) => {
    log.error({ err: error }, 'controller failed');
    process.stderr.write(`sg-controller: ${error.message}\n`);
    process.exit(1);
  });
}

void main();
