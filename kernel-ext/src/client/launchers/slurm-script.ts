import type { SlurmClusterOptions } from '../api-types.js';
import { ScatterGatherError } from '../errors.js';
import { findBin } from '../find-bin.js';
import { slurmTimeSeconds } from './slurm-time.js';

/** What a job script needs besides the user's options. */
export interface ScriptInputs {
  keyFile: string;
  /** Where sbatch writes the job's output; `%j` is the job id. */
  outputPattern: string;
}

/** A word as POSIX sh reads it literally. */
export function quoteShell(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that starts sg-worker on a node that sees this machine's files (a shared home, the usual HPC case). */
export function defaultWorkerCommand(): string {
  return [process.execPath, findBin('@scattergather/worker-server', 'sg-worker')].map(quoteShell).join(' ');
}

/**
 * The batch script of one sg-worker job: `#SBATCH` lines (the user's extra
 * ones last, so they win), the prologue, then the worker in place of the shell,
 * so scancel's SIGTERM reaches it and it hands its tasks back.
 */
export function slurmJobScript(options: SlurmClusterOptions, inputs: ScriptInputs): string {
  const { procsPerNode, partition, time, sbatchArgs = [], prologue = [], advertise, workerCommand = defaultWorkerCommand(), jobName = 'sg-worker' } = options;
  const directives = [`--job-name=${jobName}`, '--nodes=1', '--ntasks=1', procsPerNode === undefined ? '--exclusive' : `--cpus-per-task=${procsPerNode}`];
  if (partition !== undefined) directives.push(`--partition=${partition}`);
  if (time !== undefined) directives.push(`--time=${String(time)}`);
  directives.push(`--output=${inputs.outputPattern}`, ...sbatchArgs);
  for (const d of directives) checkDirective(d);

  // A loopback advertised address (a one-machine test) keeps the worker off the network altogether.
  const loopback = advertise !== undefined && /^(127\.\d+\.\d+\.\d+|localhost)$/.test(advertise);
  const args = ['--bind', loopback ? 'tcp://127.0.0.1:0' : 'tcp://0.0.0.0:0', '--key-file', inputs.keyFile];
  const words = [workerCommand, ...args.map(quoteShell)];
  // In double quotes, so an expansion such as $(hostname -i) names each node's own address.
  if (advertise !== undefined) words.push('--advertise', `"${advertise.replace(/["\\]/g, '\\$&')}"`);
  words.push('--procs', procsPerNode === undefined ? '"$SLURM_CPUS_ON_NODE"' : String(procsPerNode));
  // The walltime runs from the job's start: bash's SECONDS has counted the prologue.
  const walltime = time === undefined ? undefined : slurmTimeSeconds(time);
  if (walltime !== undefined) words.push('--walltime', `$((${walltime} - SECONDS))`);
  return ['#!/bin/bash', ...directives.map((d) => `#SBATCH ${d}`), ...prologue, `exec ${words.join(' ')}`, ''].join('\n');
}

function checkDirective(directive: string): void {
  if (!/^--?\S+$/.test(directive)) {
    throw new ScatterGatherError('ERR_SLURM_OPTION', `'${directive}' cannot be an #SBATCH line: write each sbatch option as one word starting with - (e.g. '--mem=4G'), with no spaces or line breaks`);
  }
}
