import { loadOrCreateDefaultKey, parseClusterKey, readKeyFile, type ClusterKey } from '@scattergather/protocol';
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
  if (choice.keyStdin === true) return parseClusterKey(await readFirstStdinLine(STDIN_KEY_TIMEOUT_MS), 'the first line of standard input (--key-stdin)');
  if (choice.keyFile !== undefined) return readKeyFile(choice.keyFile);
  return loadOrCreateDefaultKey().key;
}

/**
 * The first line of stdin, leaving the stream paused for whoever reads on (the
 * --exit-with-stdin watch): how a launcher hands over the key without putting
 * it in argv or the environment, where other users could see it.
 */
function readFirstStdinLine(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      process.stdin.off('data', onData).off('end', onEnd).pause();
      if (error === undefined) resolve(text.slice(0, text.indexOf('\n')));
      else reject(error);
    };
    const onData = (chunk: string): void => {
      text += chunk;
      if (text.includes('\n')) finish();
      else if (text.length > 4096) finish(new WorkerServerError('ERR_KEY_STDIN', '--key-stdin: the first line of standard input is not a key (over 4 KiB without a newline)'));
    };
    const onEnd = (): void => finish(new WorkerServerError('ERR_KEY_STDIN', '--key-stdin: standard input closed before a key line arrived; send the key file\'s text, one line, first'));
    const timer = setTimeout(() => finish(new WorkerServerError('ERR_KEY_STDIN', `--key-stdin: no key line on standard input within ${timeoutMs / 1000} s; send the key file's text, one line, first`)), timeoutMs);
    process.stdin.setEncoding('utf8').on('data', onData).on('end', onEnd);
  });
}
