import { execFileSync } from 'node:child_process';
import { WorkerServerError } from '../errors.js';

/**
 * Makes FIFOs only this user can open (Node has no mkfifo of its own;
 * coreutils has), all in one process: each spawn costs a few ms at start-up.
 */
export function makeFifos(paths: readonly string[], what: string): void {
  try {
    execFileSync('mkfifo', ['-m', '600', ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw new WorkerServerError('ERR_RESULT_PIPE', `cannot make ${what} (${paths.join(', ')}) with mkfifo (from coreutils): ${(cause as Error).message}. Is mkfifo on the PATH, and the temporary directory (TMPDIR) writable?`, { cause });
  }
}
