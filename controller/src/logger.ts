import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines to `file`; without one only warnings and errors, to stderr. */
export function createLogger(file?: string): Logger {
  if (file === undefined) return pino({ name: 'sg-controller', level: process.env['SG_LOG_LEVEL'] ?? 'warn' }, pino.destination({ fd: 2, sync: true }));
  return pino({ name: 'sg-controller', level: process.env['SG_LOG_LEVEL'] ?? 'info' }, pino.destination({ dest: file, mkdir: true, sync: false }));
}
