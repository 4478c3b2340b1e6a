import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, ROOT, waitUntil } from './processes';

/** Every directory of a test Slurm starts with this, then the pid of the test process that owns it. */
const DIR_PREFIX = 'sg-test-slurm-';

/** A real one-node Slurm on localhost (its own munged, slurmctld and slurmd, config and ports), for one test run. */
export interface TestSlurm {
  /** The slurm.conf path; also set as SLURM_CONF in this process's environment while it runs. */
  conf: string;
  dir: string;
  /** An up partition on the one node (CPUs=2), and one that is DOWN (its jobs stay pending). */
  partition: string;
  downPartition: string;
  stop(): Promise<void>;
}

/** Installs Slurm when missing, clears what a dead earlier run left, starts the daemons and waits for the node to be idle. */
export async function startSlurm(): Promise<TestSlurm> {
  execFileSync('sh', [join(ROOT, 'scripts', 'ensure-slurm.sh')], { stdio: 'inherit', timeout: 600_000 });
  killLeftovers();
  removeStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  // munged wants every directory above its socket searchable by all, and its key readable by its owner alone.
  chmodSync(dir, 0o711);
  for (const sub of ['run', 'state', 'spool']) mkdirSync(join(dir, sub), { mode: 0o755 });
  writeFileSync(join(dir, 'munge.key'), randomBytes(1024), { mode: 0o400 });
  const conf = join(dir, 'slurm.conf');
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  writeFileSync(conf, slurmConf(dir, ctldPort, slurmdPort));
  const previousConf = process.env['SLURM_CONF'];
  process.env['SLURM_CONF'] = conf;
  const daemons: ChildProcess[] = [];
  const slurm: TestSlurm = {
    conf, dir, partition: 'debug', downPartition: 'closed',
    stop: async () => {
      await cancelEveryJob();
      // Stop in reverse order of start: slurmd, slurmctld, munged.
      for (const daemon of daemons.reverse()) await stopDaemon(daemon);
      killLeftovers(dir);
      if (previousConf === undefined) delete process.env['SLURM_CONF'];
      else process.env['SLURM_CONF'] = previousConf;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const socket = join(dir, 'run', 'munge.sock');
    daemons.push(startDaemon(dir, 'munged', '/usr/sbin/munged', ['-F', `--socket=${socket}`, `--key-file=${join(dir, 'munge.key')}`, `--pid-file=${join(dir, 'munged.pid')}`, `--seed-file=${join(dir, 'munged.seed')}`, `--log-file=${join(dir, 'munged.log')}`]));
    await waitUntil(() => existsSync(socket), 10_000, `munged to make ${socket} (log: ${dir}/munged.out)`);
    daemons.push(startDaemon(dir, 'slurmctld', '/usr/sbin/slurmctld', ['-D', '-i']));
    daemons.push(startDaemon(dir, 'slurmd', '/usr/sbin/slurmd', ['-D']));
    await waitUntil(() => nodeState() === 'idle', 30_000, `sinfo to show the node idle (logs in ${dir})`);
    return slurm;
  } catch (error) {
    await slurm.stop();
    throw error;
  }
}

function slurmConf(dir: string, ctldPort: number, slurmdPort: number): string {
  // No cgroups and no accounting: what runs on a plain container or VM as root.
  return `ClusterName=sgtest
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${dir}/run/munge.sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=5
MinJobAge=60
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/slurmctld.log
SlurmdLogFile=${dir}/slurmd.log
MpiDefault=none
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=closed Nodes=localhost MaxTime=INFINITE State=DOWN
`;
}

function startDaemon(dir: string, name: string, path: string, args: string[]): ChildProcess {
  const out = join(dir, `${name}.out`);
  const child = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  child.stderr?.on('data', (chunk: Buffer) => writeFileSync(out, chunk, { flag: 'a' }));
  return child;
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The state sinfo reports for the one node ('idle', 'down', ...), or '' while slurmctld does not answer. */
export function nodeState(): string {
  try {
    return execFileSync('sinfo', ['-h', '-p', 'debug', '-o', '%T'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Ids of the jobs squeue lists (pending, running or completing). */
export function queuedJobs(): string[] {
  return execFileSync('squeue', ['-h', '-o', '%i'], { encoding: 'utf8', timeout: 5000 }).split('\n').filter((id) => id !== '');
}

async function cancelEveryJob(): Promise<void> {
  try {
    const jobs = queuedJobs();
    if (jobs.length === 0) return;
    execFileSync('scancel', jobs, { timeout: 5000 });
    await waitUntil(() => queuedJobs().length === 0, 20_000, 'squeue to show no job');
  } catch {
    // slurmctld is not answering: killLeftovers ends the jobs' processes
  }
}

/**
 * Kills the processes of a test Slurm: those of `dir`, or else those of any run
 * whose test process is gone. Daemons, job steps and the jobs' own processes
 * all carry SLURM_CONF in their environment, which names the run's directory.
 */
function killLeftovers(dir?: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    const conf = /(?:^|\0)SLURM_CONF=([^\0]*)/.exec(environ)?.[1] ?? '';
    const owner = new RegExp(`${DIR_PREFIX}(\\d+)-`).exec(conf)?.[1];
    if (owner === undefined) continue;
    const stale = dir === undefined ? !isAlive(Number(owner)) : conf.startsWith(`${dir}/`);
    if (stale) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

/** The directories of earlier runs whose test process is gone. */
function removeStaleDirs(): void {
  for (const entry of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(entry)?.[1];
    if (owner !== undefined && !isAlive(Number(owner))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Live processes started by Slurm jobs of this test Slurm (sg-worker and its executors): SLURM_JOB_ID and our SLURM_CONF in their environment. */
export function jobProcesses(slurm: TestSlurm): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`SLURM_CONF=${slurm.conf}`) && environ.some((v) => v.startsWith('SLURM_JOB_ID=')) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}
