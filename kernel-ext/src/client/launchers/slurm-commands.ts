import { execFile } from 'node:child_process';
import { ScatterGatherError } from '../errors.js';

const COMMAND_TIMEOUT_MS = 30_000;

/** A job's state and Slurm's reason for it, as squeue shows them (e.g. PENDING, PartitionDown). */
export interface JobState {
  state: string;
  reason: string;
}

/** Runs a Slurm command (input on its stdin) and returns its stdout; an error says what Slurm said and what to do. */
export function runSlurm(command: string, args: string[], input?: string): Promise<string> {
  const path = process.env['PATH'] ?? '';
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        reject(new ScatterGatherError('ERR_SLURM_MISSING', `${command} was not found on PATH (${path}): run slurmCluster on a machine with Slurm's commands (a login node), or add their directory to PATH`, { cause: error }));
        return;
      }
      const said = stderr.trim() === '' ? error.message : stderr.trim();
      reject(new ScatterGatherError('ERR_SLURM', `${command} ${args.join(' ')} failed: ${said}`, { cause: error }));
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** Submits a batch script with `sbatch --parsable` and returns the job id. */
export async function submitJob(script: string): Promise<string> {
  try {
    const out = await runSlurm('sbatch', ['--parsable'], script);
    // --parsable prints "ID" or "ID;CLUSTER".
    return out.trim().split(';')[0] ?? '';
  } catch (error) {
    if ((error as ScatterGatherError).code !== 'ERR_SLURM') throw error;
    throw new ScatterGatherError('ERR_SLURM_SUBMIT', `Slurm refused the sg-worker job. ${(error as Error).message}\nCheck partition, time and sbatchArgs (sinfo lists the partitions; slurmCluster({ dryRun: true }) shows the script)`, { cause: error });
  }
}

/** The job's state and reason, or undefined when Slurm no longer knows it. */
export async function jobState(id: string): Promise<JobState | undefined> {
  const out = await runSlurm('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%T %r']).catch((error: ScatterGatherError) => {
    // squeue fails with "Invalid job id" for a job that ended long enough ago.
    if (error.code === 'ERR_SLURM' && /invalid job id/i.test(error.message)) return '';
    throw error;
  });
  const [state, ...reason] = out.trim().split(' ');
  return state === undefined || state === '' ? undefined : { state, reason: reason.join(' ') };
}

/** Of these jobs, the ids Slurm still lists as pending, running or completing. */
export async function unfinishedJobs(ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const out = await runSlurm('squeue', ['-h', '-j', ids.join(','), '-o', '%i']).catch(() => '');
  return out.split('\n').map((line) => line.trim()).filter((id) => id !== '');
}
