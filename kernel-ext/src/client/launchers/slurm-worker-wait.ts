import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseReadyLine } from '@scattergather/protocol';
import { ScatterGatherError } from '../errors.js';
import { jobState, type JobState } from './slurm-commands.js';

/** A submitted sg-worker job and the file its output goes to. */
export interface SubmittedJob {
  id: string;
  outputFile: string;
}

const FILE_POLL_MS = 200;
/** squeue is asked every this many file polls (once a second): it costs slurmctld a request. */
const STATE_EVERY = 5;
const ENDED = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|SPECIAL_EXIT|REVOKED)/;

/**
 * The address of the job's sg-worker, from the ready line in its output file.
 * Rejects when the job ends first (with the file's tail), or when it is not
 * ready within `timeoutMs` (with its state and Slurm's reason), or on `signal`.
 */
export async function waitForSlurmWorker(job: SubmittedJob, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: JobState | undefined = { state: 'PENDING', reason: 'not yet asked' };
  for (let round = 0; !signal.aborted; round++) {
    const url = readyUrl(job.outputFile);
    if (url !== undefined) return url;
    if (round % STATE_EVERY === 0) {
      const asked = await askState(job.id);
      if (asked !== 'unknown') last = asked;
      // The worker may have printed its line just before the job ended: read the file once more.
      if (last === undefined || ENDED.test(last.state)) return readyUrl(job.outputFile) ?? Promise.reject(endedError(job, last));
    }
    if (Date.now() > deadline) throw notReadyError(job, last, timeoutMs);
    await sleep(FILE_POLL_MS);
  }
  throw new ScatterGatherError('ERR_SLURM_ABORTED', `stopped waiting for Slurm job ${job.id}: another job of this cluster failed`);
}

/** The job's state; 'unknown' when squeue failed (a busy slurmctld times out), to be asked again until the deadline. */
async function askState(id: string): Promise<JobState | undefined | 'unknown'> {
  try {
    return await jobState(id);
  } catch (error) {
    if ((error as ScatterGatherError).code === 'ERR_SLURM') return 'unknown';
    throw error;
  }
}

function readyUrl(file: string): string | undefined {
  for (const line of readOutput(file).split('\n')) {
    const ready = parseReadyLine(line);
    if (ready !== undefined) return ready.url;
  }
  return undefined;
}

function readOutput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function outputTail(file: string): string {
  const text = readOutput(file).trim();
  return text === '' ? `${file} is empty or missing` : `the end of ${file}:\n${text.split('\n').slice(-15).join('\n')}`;
}

function endedError(job: SubmittedJob, state: JobState | undefined): ScatterGatherError {
  const how = state === undefined ? 'is gone from squeue' : `ended (${state.state}${state.reason === 'None' ? '' : `, ${state.reason}`})`;
  return new ScatterGatherError('ERR_SLURM_JOB_ENDED', `Slurm job ${job.id} ${how} before its sg-worker was ready; ${outputTail(job.outputFile)}\nCheck workerCommand and prologue: the job must find Node and sg-worker on the node (slurmCluster({ dryRun: true }) shows the script)`);
}

function notReadyError(job: SubmittedJob, state: JobState | undefined, timeoutMs: number): ScatterGatherError {
  const where = `Slurm job ${job.id} is still ${state?.state ?? 'unknown'} (reason: ${state?.reason ?? 'unknown'}) after ${timeoutMs} ms, so it was cancelled`;
  if (state?.state === 'PENDING') {
    return new ScatterGatherError('ERR_SLURM_PENDING', `${where}. Slurm could not start it: ask for fewer CPUs (procsPerNode) or another partition (sinfo lists them and their state), or wait longer (readyTimeoutMs)`);
  }
  return new ScatterGatherError('ERR_SLURM_NOT_READY', `${where}. Its sg-worker printed no ready line; ${outputTail(job.outputFile)}`);
}
