import pino from 'pino';
import { openLogFile } from '@scattergather/protocol';

export type Logger = pino.Logger;

/** JSON lines to `file`, or to stderr: stdout belongs to the ready line alone. Throws ERR_LOG_FILE if `file` cannot be written. */
export function createLogger(name: string, file?: string, level = process.env['SG_LOG_LEVEL'] ?? 'info'): Logger {
  const destination = pino.destination(file === undefined ? { fd: 2, sync: true } : { fd: openLogFile(file), sync: false });
  return pino({ name, level, base: { pid: process.pid } }, destination);
}
