import { ScatterGatherError } from '../errors.js';
import { quoteForShell } from './shell-quote.js';

/** What went wrong starting a worker over ssh, and what to do about it; the first rule that matches speaks. */
interface FailureRule {
  matches(exitCode: number | null, stderr: string): boolean;
  explain(host: string, sshCommand: string): string;
}

const FAILURE_RULES: FailureRule[] = [
  {
    matches: (_code, stderr) => /Could not resolve hostname|Name or service not known|nodename nor servname/i.test(stderr),
    explain: (host) => `ssh does not know the host ${host}. Check its spelling, or add a Host entry with its HostName to ~/.ssh/config`,
  },
  {
    matches: (_code, stderr) => /Permission denied|Too many authentication failures|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr),
    explain: (host, ssh) => `ssh could not log in to ${host} without a prompt (the launcher runs ssh with BatchMode=yes). Make \`${ssh} true\` work first: install your public key there (ssh-copy-id ${host}) or load it into ssh-agent, check the user name, and accept the host key once`,
  },
  {
    matches: (_code, stderr) => /Connection refused|Connection timed out|No route to host|Network is unreachable|Connection closed by|Connection reset/i.test(stderr),
    explain: (host) => `ssh could not reach ${host}. Check that sshd runs there and the port (sshArgs ['-p', PORT] or Port in ~/.ssh/config)`,
  },
  {
    matches: (code) => code === 127 || code === 126,
    explain: (host) => `the worker command was not found (or cannot run) on ${host}. Install sg-worker there (README: "Running on several machines") and pass its command as workerCommand, e.g. 'npx --no-install sg-worker' or '/path/to/node /path/to/sg-worker.js'`,
  },
  {
    matches: (code) => code === 255,
    explain: (host, ssh) => `ssh to ${host} failed. Make \`${ssh} true\` work first`,
  },
  {
    matches: () => true,
    explain: (host) => `sg-worker on ${host} stopped before it was ready. If it does not know --key-stdin or --advertise, it is older than this client: install the same version there`,
  },
];

/** Why a worker over ssh did not start, naming the host and the fix, with ssh's own words at the end. */
export function explainSshFailure(host: string, sshArgs: readonly string[], exitCode: number | null, stderr: string): string {
  const ssh = ['ssh', ...sshArgs, host].map(quoteForShell).join(' ');
  const rule = FAILURE_RULES.find((r) => r.matches(exitCode, stderr)) as FailureRule;
  return `${rule.explain(host, ssh)} (exit code ${String(exitCode)}).${formatSaid(stderr)}`;
}

/** What ssh and the remote command wrote to stderr, as the end of an error message. */
export function formatSaid(stderr: string): string {
  return stderr.trim() === '' ? '' : `\nssh and the remote command said:\n${stderr.trim()}`;
}

/** ssh itself could not be started for `host`: not installed, or not on PATH. */
export function sshNotRunError(host: string, error: Error): ScatterGatherError {
  return new ScatterGatherError('ERR_SSH', `could not run ssh for ${host}: ${error.message}. Install the OpenSSH client (Debian: apt-get install openssh-client), or put the directory of its ssh on PATH`, { cause: error });
}
