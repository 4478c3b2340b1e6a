import { execFile } from 'node:child_process';
import { findBin } from '../find-bin.js';
import { ScatterGatherError } from '../errors.js';
import { sshNotRunError } from './ssh-failure.js';
import type { SshTarget } from './ssh-hosts.js';
import { quoteForShell } from './shell-quote.js';

/**
 * Options that always apply. ssh keeps the first value it is given for an option, so these win over
 * the user's sshArgs and ~/.ssh/config: BatchMode makes a login that needs a prompt fail at once
 * instead of hanging (no terminal to answer it), and -T asks for no terminal on the remote side.
 */
const FIXED_SSH_OPTIONS = ['-T', '-o', 'BatchMode=yes'];
/** Defaults the user's sshArgs or ssh config may override: a bounded connect, and a dead peer noticed in ~15 s. */
const DEFAULT_SSH_OPTIONS = ['-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3'];

/** This machine's node and sg-worker, for hosts that see the same paths (a shared home, the usual HPC case). */
export function defaultWorkerCommand(): string {
  return [process.execPath, findBin('@scattergather/worker-server', 'sg-worker')].map(quoteForShell).join(' ');
}

/** The remote sg-worker's command line: no secret in it, the key comes on stdin (--key-stdin). */
export function remoteWorkerCommand(workerCommand: string, target: SshTarget, advertise: string): string {
  checkIpv4Address(target.host, advertise);
  const flags = ['--bind', 'tcp://0.0.0.0:0', '--key-stdin', '--exit-with-stdin', '--advertise', advertise];
  if (target.procs !== undefined) flags.push('--procs', String(target.procs));
  return `${workerCommand} ${flags.map(quoteForShell).join(' ')}`;
}

/**
 * Refuses an IPv6 address (the only kind with a ':', bracketed or not): the worker binds 0.0.0.0, IPv4
 * only, and no controller socket enables IPv6, so a worker advertised there could never be reached.
 */
function checkIpv4Address(host: string, advertise: string): void {
  if (!advertise.includes(':')) return;
  throw new ScatterGatherError('ERR_SSH_IPV6', `sshCluster: the worker on ${host} would be advertised as ${advertise}, an IPv6 address, but workers listen on IPv4 only. Name the host by an IPv4 address or by a name that has one (HostName in ~/.ssh/config), or pass the worker's IPv4 address or name as advertise`);
}

/** ssh's argv for running `command` on the target. */
export function sshArgv(target: SshTarget, sshArgs: readonly string[], command: string): string[] {
  return [...FIXED_SSH_OPTIONS, ...sshArgs, ...DEFAULT_SSH_OPTIONS, '--', target.host, command];
}

/**
 * The host name ssh connects to for this destination, as `ssh -G` resolves it through the user's
 * config: an alias such as `Host gpu1` / `HostName gpu1.cluster.example` would mean nothing to a
 * controller, and the real name is the one most likely to reach the worker back.
 */
export function resolveSshHostName(host: string, sshArgs: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ssh', ['-G', ...sshArgs, '--', host], { timeout: 10_000 }, (error, stdout, stderr) => {
      const name = /^hostname (\S+)$/m.exec(stdout)?.[1];
      if (error === null && name !== undefined) return resolve(name);
      if (error?.code === 'ENOENT') return reject(sshNotRunError(host, error));
      reject(new ScatterGatherError('ERR_SSH_CONFIG', `ssh could not read its configuration for ${host}: ${stderr.trim() || (error?.message ?? 'no hostname line')}. Check \`ssh -G ${host}\`, or give the address with the advertise option`, { cause: error }));
    });
  });
}
