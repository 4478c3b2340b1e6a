import type { SshHost } from '../api-types.js';
import { ScatterGatherError } from '../errors.js';

/** A host to start one sg-worker on, with what its command line needs. */
export interface SshTarget {
  host: string;
  procs?: number;
  advertise?: string;
}

function checkCount(host: string, procs: number | undefined): void {
  if (procs !== undefined && (!Number.isInteger(procs) || procs < 1)) {
    throw new ScatterGatherError('ERR_SSH_HOSTS', `sshCluster: procs for ${host} must be a whole number ≥ 1, not ${String(procs)}`);
  }
}

/** Checks the host list: each one an ssh destination that cannot be read as an ssh option, listed once. */
export function toSshTargets(hosts: ReadonlyArray<string | SshHost>, procs: number | undefined): SshTarget[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw new ScatterGatherError('ERR_SSH_HOSTS', "sshCluster needs at least one host, e.g. ['node7', 'user@node8'] or [{ host: 'node7', procs: 8 }]");
  }
  checkCount('every host', procs);
  const targets = hosts.map((entry): SshTarget => {
    const { host, procs: own, advertise } = typeof entry === 'string' ? { host: entry } : (entry ?? {}) as Partial<SshHost>;
    // A destination starting with '-' would reach ssh as an option (e.g. -oProxyCommand=...).
    if (typeof host !== 'string' || !/^[^\s-]\S*$/.test(host)) {
      throw new ScatterGatherError('ERR_SSH_HOSTS', `sshCluster: ${JSON.stringify(host)} is not an ssh destination; write one as you would after \`ssh\`, e.g. 'node7' or 'user@node7'`);
    }
    checkCount(host, own);
    const target: SshTarget = { host };
    if ((own ?? procs) !== undefined) target.procs = own ?? procs;
    if (advertise !== undefined) target.advertise = advertise;
    return target;
  });
  const twice = targets.find((t, i) => targets.findIndex((other) => other.host === t.host) !== i);
  if (twice !== undefined) throw new ScatterGatherError('ERR_SSH_HOSTS', `sshCluster: ${twice.host} is listed twice; list each host once and give it more executors with { host, procs }`);
  return targets;
}
