import type { WireLog } from '@scattergather/protocol';
import type * as LoggerModule from '../logger.js';

/**
 * The executor's log, made at its first line. An executor logs only when
 * something breaks, and loading pino took ~15 ms of CPU (~20 ms of a local
 * cluster's start-up) in every executor.
 */
export class LazyLog implements WireLog {
  private logger: LoggerModule.Logger | undefined;

  constructor(private readonly name: string) {}

  warn(details: object, message: string): void {
    this.get().warn(details, message);
  }

  debug(details: object, message: string): void {
    this.get().debug(details, message);
  }

  error(details: object, message: string): void {
    this.get().error(details, message);
  }

  private get(): LoggerModule.Logger {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.logger ??= (require('../logger.js') as typeof LoggerModule).createLogger(this.name);
    return this.logger;
  }
}
