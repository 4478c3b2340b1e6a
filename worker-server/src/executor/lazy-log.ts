import { writeSync } from 'node:fs';
import type { WireLog } from '@scattergather/protocol';
import type * as LoggerModule from '../logger.js';

type Level = 'warn' | 'debug' | 'error';

/**
 * The executor's log, made at its first line. An executor logs only when
 * something breaks, and loading pino took ~15 ms of CPU (~20 ms of a local
 * cluster's start-up) in every executor. Never throws: if pino cannot be
 * loaded then (task code may have used up the file descriptors), the line
 * goes to stderr as bare JSON.
 */
export class LazyLog implements WireLog {
  private logger: LoggerModule.Logger | undefined;

  constructor(private readonly name: string) {}

  warn(details: object, message: string): void {
    this.line('warn', details, message);
  }

  debug(details: object, message: string): void {
    this.line('debug', details, message);
  }

  error(details: object, message: string): void {
    this.line('error', details, message);
  }

  private line(level: Level, details: object, message: string): void {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.logger ??= (require('../logger.js') as typeof LoggerModule).createLogger(this.name);
      this.logger[level](details, message);
    } catch (error) {
      if (level === 'debug') return;
      const why = error instanceof Error ? error.message : String(error);
      try {
        writeSync(2, `${JSON.stringify({ level, name: this.name, pid: process.pid, msg: message, logFailed: why })}\n`);
      } catch {
        // stderr is gone too: nothing left to tell
      }
    }
  }
}
