import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { version as libzmqVersion } from 'zeromq';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  zeromq: string;
  libzmq: string;
  gitCommit: string;
  /** 1-minute load average when the bench started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end?: number };
}

export function machineFacts(repoRoot: string): MachineFacts {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    zeromq: zeromqPackageVersion(),
    libzmq: libzmqVersion,
    gitCommit: gitCommit(repoRoot),
    loadAverage: { start: loadavg()[0] ?? Number.NaN },
  };
}

export function currentLoad(): number {
  return loadavg()[0] ?? Number.NaN;
}

function zeromqPackageVersion(): string {
  try {
    return (require('zeromq/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(cwd: string): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd, timeout: 5_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head} (with uncommitted changes)`;
  } catch {
    return 'unknown';
  }
}
