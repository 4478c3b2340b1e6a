/** `%cluster` arguments to a ClusterSpec, checked before the cell runs. */
import { KernelError } from './errors.js';
import { parseArgs, tooMany, type FlagSpec, type FlagValues } from './magic-args.js';
import type { ClusterOptions, ClusterSpec } from './runtime-api.js';
import { closest } from './suggest.js';

export const CLUSTER_SUBCOMMANDS = ['local', 'connect', 'status', 'refresh', 'die'] as const;

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

/** `tcp://host:port*4` → { url, workers: 4 }. */
export function parseServer(magic: string, word: string): { url: string; workers?: number } {
  const m = /^(.+?)(?:\*(\d+))?$/.exec(word);
  const url = m?.[1] ?? word;
  if (!/^(tcp|ipc):\/\/\S+$/.test(url)) {
    throw new KernelError('BAD_ARGUMENTS', `%${magic} connect: '${url}' is not a worker URL`, {
      hint: 'Worker URLs look like tcp://10.0.0.2:5555, optionally with *N for N executors.',
    });
  }
  return m?.[2] ? { url, workers: count(magic, m[2], 'the executor count') } : { url };
}

export function parseClusterArgs(magic: string, spec: FlagSpec, words: string[], usage: string): ClusterSpec {
  const { flags, positionals } = parseArgs(magic, spec, words);
  const [sub, ...rest] = positionals;
  if (sub === undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} needs a subcommand`, { hint: `Usage: ${usage}` });
  const noFlags = (): void => {
    if (Object.keys(flags).length) throw new KernelError('BAD_ARGUMENTS', `%${magic} ${sub} takes no flags`);
  };
  switch (sub) {
    case 'local': {
      tooMany(magic, rest.slice(1), usage);
      const spec_: ClusterSpec = { action: 'local', options: options(flags) };
      if (rest[0] !== undefined) spec_.procs = count(magic, rest[0], 'N');
      if (typeof flags['servers'] === 'number') spec_.servers = count(magic, String(flags['servers']), '--servers');
      return spec_;
    }
    case 'connect':
      if (!rest.length) throw new KernelError('BAD_ARGUMENTS', `%${magic} connect needs at least one URL`, { hint: `Usage: ${usage}` });
      if (flags['servers'] !== undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic} connect: --servers is for local clusters`);
      return { action: 'connect', servers: rest.map((w) => parseServer(magic, w)), options: options(flags) };
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
