import pino from 'pino';
import { openLogFile } from '@scattergather/protocol';

export type Logger = pino.Logger;

/** JSON lines to `file`; without one only warnings and errors, to stderr. Throws ERR_LOG_FILE if `file` cannot be written. */
export function createLogger(file?: string): Logger {
  if (file === undefined) return pino({ name: 'sg-controller', level: process.env['SG_LOG_LEVEL'] ?? 'warn' }, pino.destination({ fd: 2, sync: true }));
  return pino({ name: 'sg-controller', level: process.env['SG_LOG_LEVEL'] ?? 'info' }, pino.destination({ fd: openLogFile(file), sync: false }));
}
