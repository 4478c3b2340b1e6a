/** `%cluster` arguments to a ClusterSpec, checked before the cell runs. */
import { KernelError } from './errors.js';
import { parseArgs, tooMany, type FlagSpec, type FlagValues } from './magic-args.js';
import type { ClusterOptions, ClusterSpec, SlurmSpec, SshLaunchOptions } from './runtime-api.js';
import { closest } from './suggest.js';

export const CLUSTER_SUBCOMMANDS = ['local', 'connect', 'ssh', 'slurm', 'status', 'refresh', 'die', 'dashboard'] as const;

/** Flags that only `%cluster ssh` takes. */
const SSH_FLAGS = ['ssh-args', 'worker-command'];
/** Flags that only `%cluster slurm` takes. */
const SLURM_FLAGS = ['nodes', 'partition', 'time', 'dry-run'];
/** Flags about starting workers, which `%cluster connect` does not do. */
const LAUNCH_FLAGS = ['servers', 'procs', 'advertise'];

function options(flags: FlagValues): ClusterOptions {
  const out: ClusterOptions = {};
  const num = (k: string) => (typeof flags[k] === 'number' ? (flags[k] as number) : undefined);
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  if (str('key-file') !== undefined) out.keyFile = str('key-file');
  if (flags['no-key'] === true) out.noKey = true;
  if (str('log-file') !== undefined) out.logFile = str('log-file');
  if (num('retries') !== undefined) out.retries = num('retries');
  if (num('heartbeat') !== undefined) out.heartbeatMs = num('heartbeat');
  if (num('timeout') !== undefined) out.timeoutMs = Math.round((num('timeout') ?? 0) * 1000);
  if (num('ready-timeout') !== undefined) out.readyTimeoutMs = Math.round((num('ready-timeout') ?? 0) * 1000);
  return out;
}

function count(magic: string, word: string, what: string): number {
  const n = Number(word);
  if (!Number.isInteger(n) || n < 1) throw new KernelError('BAD_ARGUMENTS', `%${magic}: ${what} must be a whole number ≥ 1, not '${word}'`);
  return n;
}

/** `NAME*N` → NAME and N, when given. */
function splitCount(magic: string, word: string): { name: string; n?: number } {
  const m = /^(.+?)(?:\*(\d+))?$/.exec(word);
  const name = m?.[1] ?? word;
  return m?.[2] ? { name, n: count(magic, m[2], 'the executor count') } : { name };
}

/** `tcp://host:port*4` → { url, workers: 4 }. */
export function parseServer(magic: string, word: string): { url: string; workers?: number } {
  const { name: url, n } = splitCount(magic, word);
  if (!/^(tcp|ipc):\/\/\S+$/.test(url)) {
    throw new KernelError('BAD_ARGUMENTS', `%${magic} connect: '${url}' is not a worker URL`, {
      hint: 'Worker URLs look like tcp://10.0.0.2:5555, optionally with *N for N executors.',
    });
  }
  return n === undefined ? { url } : { url, workers: n };
}

/** `user@node7*4` → { host: 'user@node7', procs: 4 }. */
export function parseSshHost(magic: string, word: string): { host: string; procs?: number } {
  const { name: host, n } = splitCount(magic, word);
  if (host.startsWith('-')) {
    throw new KernelError('BAD_ARGUMENTS', `%${magic} ssh: '${host}' is not a host`, { hint: 'Hosts are ssh destinations such as node7 or user@node7, optionally with *N for N executors.' });
  }
  return n === undefined ? { host } : { host, procs: n };
}

function sshLaunchOptions(flags: FlagValues): SshLaunchOptions {
  const launch: SshLaunchOptions = {};
  if (typeof flags['procs'] === 'number') launch.procs = flags['procs'];
  if (typeof flags['ssh-args'] === 'string') launch.sshArgs = flags['ssh-args'].split(/\s+/).filter((w) => w !== '');
  if (typeof flags['worker-command'] === 'string') launch.workerCommand = flags['worker-command'];
  if (typeof flags['advertise'] === 'string') launch.advertise = flags['advertise'];
  return launch;
}

function slurmSpec(magic: string, flags: FlagValues, usage: string): SlurmSpec {
  if (flags['nodes'] === undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} slurm needs --nodes N: how many sg-worker jobs to submit`, { hint: `Usage: ${usage}` });
  const out: SlurmSpec = { nodes: count(magic, String(flags['nodes']), '--nodes') };
  if (flags['procs'] !== undefined) out.procsPerNode = count(magic, String(flags['procs']), '--procs');
  for (const [flag, key] of [['partition', 'partition'], ['time', 'time'], ['advertise', 'advertise']] as const) {
    if (typeof flags[flag] === 'string') out[key] = flags[flag];
  }
  if (flags['dry-run'] === true) out.dryRun = true;
  return out;
}

export function parseClusterArgs(magic: string, spec: FlagSpec, words: string[], usage: string): ClusterSpec {
  const { flags, positionals } = parseArgs(magic, spec, words);
  const [sub, ...rest] = positionals;
  if (sub === undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} needs a subcommand`, { hint: `Usage: ${usage}` });
  if (flags['inline'] !== undefined && sub !== 'dashboard') throw new KernelError('BAD_ARGUMENTS', `%${magic} ${sub}: --inline is for %${magic} dashboard`);
  const noFlags = (): void => {
    if (Object.keys(flags).length) throw new KernelError('BAD_ARGUMENTS', `%${magic} ${sub} takes no flags`);
  };
  const sshOnly = SSH_FLAGS.find((f) => flags[f] !== undefined);
  if (sub !== 'ssh' && sshOnly !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} ${sub}: --${sshOnly} is for %${magic} ssh`, { hint: `Usage: ${usage}` });
  const slurmOnly = SLURM_FLAGS.find((f) => flags[f] !== undefined);
  if (sub !== 'slurm' && slurmOnly !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} ${sub}: --${slurmOnly} is for %${magic} slurm`, { hint: `Usage: ${usage}` });
  switch (sub) {
    case 'local': {
      tooMany(magic, rest.slice(1), usage);
      if (rest[0] !== undefined && flags['procs'] !== undefined) {
        throw new KernelError('BAD_ARGUMENTS', `%${magic} local: give the executor count once, as N or as --procs N, not both`, { hint: `e.g. %${magic} local ${rest[0]}` });
      }
      const spec_: ClusterSpec = { action: 'local', options: options(flags) };
      if (rest[0] !== undefined) spec_.procs = count(magic, rest[0], 'N');
      else if (typeof flags['procs'] === 'number') spec_.procs = count(magic, String(flags['procs']), '--procs');
      if (typeof flags['servers'] === 'number') spec_.servers = count(magic, String(flags['servers']), '--servers');
      return spec_;
    }
    case 'connect':
      if (!rest.length) throw new KernelError('BAD_ARGUMENTS', `%${magic} connect needs at least one URL`, { hint: `Usage: ${usage}` });
      for (const flag of LAUNCH_FLAGS) {
        if (flags[flag] !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} connect: --${flag} is for clusters this kernel starts (local, ssh, slurm)`);
      }
      return { action: 'connect', servers: rest.map((w) => parseServer(magic, w)), options: options(flags) };
    case 'ssh':
      if (!rest.length) throw new KernelError('BAD_ARGUMENTS', `%${magic} ssh needs at least one host`, { hint: `Usage: ${usage}` });
      if (flags['servers'] !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} ssh: --servers is for local clusters; list the hosts instead`);
      if (typeof flags['procs'] === 'number') count(magic, String(flags['procs']), '--procs');
      return { action: 'ssh', hosts: rest.map((w) => parseSshHost(magic, w)), launch: sshLaunchOptions(flags), options: options(flags) };
    case 'slurm':
      tooMany(magic, rest, usage);
      if (flags['servers'] !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} slurm: --servers is for local clusters; --nodes N submits N jobs`);
      return { action: 'slurm', slurm: slurmSpec(magic, flags, usage), options: options(flags) };
    case 'dashboard':
      tooMany(magic, rest, usage);
      if (Object.keys(flags).some((f) => f !== 'inline')) throw new KernelError('BAD_ARGUMENTS', `%${magic} dashboard takes only --inline`);
      return { action: 'dashboard', inline: flags['inline'] === true };
    case 'status':
    case 'refresh':
    case 'die':
      tooMany(magic, rest, usage);
      noFlags();
      return { action: sub };
    default: {
      const near = closest(sub, CLUSTER_SUBCOMMANDS);
      throw new KernelError('BAD_ARGUMENTS', `%${magic}: unknown subcommand '${sub}'`, {
        hint: (near ? `Did you mean %${magic} ${near}? ` : '') + `Usage: ${usage}`,
      });
    }
  }
}
