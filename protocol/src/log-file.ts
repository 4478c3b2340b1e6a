import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProtocolError } from './errors.js';

/**
 * Opens `path` to append log lines (making its directory), or throws a
 * ProtocolError('ERR_LOG_FILE') that says why: opened here, before any line is
 * written, a directory or a place we cannot write is a clear error at start
 * rather than an unhandled 'error' event from the logger later.
 */
export function openLogFile(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'a');
  } catch (cause) {
    throw new ProtocolError('ERR_LOG_FILE', `cannot write the log file ${path} (${(cause as Error).message}); give --log-file a file in a directory you can write`, { cause });
  }
}
