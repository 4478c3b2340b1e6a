import { execFileSync } from 'node:child_process';
import { WorkerServerError } from '../errors.js';

/** Makes a FIFO only this user can open (Node has no mkfifo of its own; coreutils has). */
export function makeFifo(path: string, what: string): void {
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw new WorkerServerError('ERR_RESULT_PIPE', `cannot make ${what} ${path} with mkfifo (from coreutils): ${(cause as Error).message}. Is mkfifo on the PATH, and the temporary directory (TMPDIR) writable?`, { cause });
  }
}
