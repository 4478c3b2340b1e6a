import { loadOrCreateDefaultKey, parseClusterKey, readFirstStdinLine, readKeyFile, type ClusterKey, type MissingLine } from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';

/** Where sg-worker takes its key from: a file, the first line of stdin, the user's own key, or none (`--no-key`). */
export interface KeyChoice {
  keyFile?: string;
  keyStdin?: boolean;
  /** false for --no-key */
  key: boolean;
}

const STDIN_KEY_TIMEOUT_MS = 30_000;

export async function resolveWorkerKey(choice: KeyChoice): Promise<ClusterKey | undefined> {
  if (!choice.key) return undefined;
  if (choice.keyStdin === true) return parseClusterKey(await readKeyLine(STDIN_KEY_TIMEOUT_MS), 'the first line of standard input (--key-stdin)');
  if (choice.keyFile !== undefined) return readKeyFile(choice.keyFile);
  return loadOrCreateDefaultKey().key;
}

/** The key from the first line of stdin: how a launcher hands it over without putting it in argv or the environment, where other users could see it. */
async function readKeyLine(timeoutMs: number): Promise<string> {
  const read = await readFirstStdinLine(timeoutMs);
  if ('line' in read) return read.line;
  const why: Record<MissingLine, string> = {
    'too long': 'the first line of standard input is not a key (over 4 KiB without a newline)',
    closed: 'standard input closed before a key line arrived; send the key file\'s text, one line, first',
    'timed out': `no key line on standard input within ${timeoutMs / 1000} s; send the key file's text, one line, first`,
  };
  throw new WorkerServerError('ERR_KEY_STDIN', `--key-stdin: ${why[read.missing]}`);
}
