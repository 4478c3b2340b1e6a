import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines to `file`, or to stderr: stdout belongs to the ready line alone. */
export function createLogger(name: string, file?: string, level = process.env['SG_LOG_LEVEL'] ?? 'info'): Logger {
  const destination = pino.destination(file === undefined ? { fd: 2, sync: true } : { dest: file, mkdir: true, sync: false });
  return pino({ name, level, base: { pid: process.pid } }, destination);
}
