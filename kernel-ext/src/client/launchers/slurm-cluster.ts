import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultKeyPath, loadOrCreateDefaultKey, readKeyFile } from '@scattergather/protocol';
import type { ClientOptions, SlurmClusterOptions } from '../api-types.js';
import { checkClientOptions } from '../check-options.js';
import { spawnScatterGather } from '../connect.js';
import { asClientError, ScatterGatherError } from '../errors.js';
import type { ScatterGather } from '../scatter-gather.js';
import { submitJob } from './slurm-commands.js';
import { SlurmJobs } from './slurm-jobs.js';
import { slurmJobScript } from './slurm-script.js';
import { slurmTimeSeconds } from './slurm-time.js';
import { waitForSlurmWorker } from './slurm-worker-wait.js';

/** Jobs wait in queues: a worker gets longer to start than a local one. */
const DEFAULT_READY_TIMEOUT_MS = 120_000;

/**
 * Submits one sg-worker job per node with sbatch and connects to each worker
 * as its job starts; resolves once all have joined. close() cancels the jobs.
 * With `dryRun: true` it submits nothing and resolves with the job script.
 */
export function slurmCluster(options: SlurmClusterOptions & { dryRun: true }): Promise<string>;
export function slurmCluster(options: SlurmClusterOptions): Promise<ScatterGather>;
export async function slurmCluster(options: SlurmClusterOptions): Promise<ScatterGather | string> {
  checkOptions(options);
  checkClientOptions(options);
  const keyFile = options.keyFile ?? defaultKeyPath();
  const outputDir = options.outputDir ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'scattergather', 'slurm');
  checkOutputDir(outputDir);
  // Job ids come round again (another cluster's jobs, a reset slurmctld): a file left by an earlier job must never pass for this one's.
  const launch = randomBytes(4).toString('hex');
  const outputFile = (job: string): string => join(outputDir, `sg-worker-${job}-${launch}.out`);
  const script = slurmJobScript(options, { keyFile, outputPattern: outputFile('%j') });
  if (options.dryRun === true) return script;
  asClientError(() => (options.keyFile === undefined ? loadOrCreateDefaultKey() : readKeyFile(keyFile)));
  mkdirSync(outputDir, { recursive: true, mode: 0o700 });

  const clientOptions = { ...clientOptionsOf(options), keyFile };
  const jobs = new SlurmJobs();
  const stopWaiting = new AbortController();
  let client: ScatterGather | undefined;
  // Workers join one at a time, in the order they start: the first spawns the client, the rest are added to it.
  let joined = Promise.resolve();
  const joinWorker = (url: string): Promise<void> => {
    joined = joined.then(async () => {
      if (client === undefined) client = await spawnScatterGather([url], clientOptions);
      else await client.addServers([url]);
    });
    return joined;
  };
  try {
    for (let i = 0; i < options.nodes; i++) jobs.add(await submitJob(script));
    const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    await Promise.all(jobs.ids.map(async (id) => joinWorker(await waitForSlurmWorker({ id, outputFile: outputFile(id) }, timeoutMs, stopWaiting.signal))));
  } catch (error) {
    stopWaiting.abort();
    await joined.catch(() => undefined);
    await client?.close();
    await jobs.cancel();
    throw error;
  }
  const ready = client as ScatterGather;
  ready.onClose = () => jobs.cancel();
  return ready;
}

/** The options that are the client's, not the launcher's. */
function clientOptionsOf(options: SlurmClusterOptions): ClientOptions {
  const { nodes, procsPerNode, partition, time, sbatchArgs, prologue, advertise, workerCommand, outputDir, jobName, dryRun, ...clientOptions } = options;
  return clientOptions;
}

function checkOptions(options: SlurmClusterOptions): void {
  const wholeNumber = (name: string, n: unknown): void => {
    if (!Number.isInteger(n) || (n as number) < 1) throw new ScatterGatherError('ERR_SLURM_OPTION', `slurmCluster: ${name} must be a whole number ≥ 1, not ${String(n)}`);
  };
  wholeNumber('nodes', options.nodes);
  if (options.procsPerNode !== undefined) wholeNumber('procsPerNode', options.procsPerNode);
  if (options.time !== undefined) slurmTimeSeconds(options.time);
  for (const arg of options.sbatchArgs ?? []) {
    const name = /^(--[\w-]+|-\w)/.exec(arg)?.[1] ?? '';
    if (['-o', '--output', '-M', '--clusters'].includes(name)) {
      throw new ScatterGatherError('ERR_SLURM_OPTION', `slurmCluster: leave ${name} out of sbatchArgs: the client reads each job's output where it told Slurm to write it (set outputDir instead), and runs squeue and scancel on this machine's own cluster (for another, run the client on its login node)`);
    }
  }
  if (options.noKey === true) throw new ScatterGatherError('ERR_SLURM_OPTION', 'slurmCluster needs a cluster key (its workers listen on the network): drop noKey, and give keyFile or let it use your default key');
}

/** The output path goes on an #SBATCH line, where a space ends it and Slurm expands `%`. */
function checkOutputDir(dir: string): void {
  if (/[\s%]/.test(dir)) {
    throw new ScatterGatherError('ERR_SLURM_OPTION', `slurmCluster: the jobs' output directory '${dir}' holds a space or a %, which an #SBATCH --output line cannot carry: give outputDir a path without them`);
  }
}
