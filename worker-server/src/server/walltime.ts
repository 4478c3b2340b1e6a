import type { Logger } from '../logger.js';
import type { WorkerServer } from './worker-server.js';

/** How long before its walltime a server stops taking tasks: 10 % of it, between 2 s and 60 s, unless told. */
export function defaultDrainMs(walltimeMs: number): number {
  return Math.min(60_000, Math.max(2_000, walltimeMs * 0.1));
}

/**
 * Ends a server before a hard limit kills it (a batch job's walltime): at
 * `walltimeMs - drainMs` it drains (queued tasks go back, running ones may
 * finish), and it stops, handing back whatever still runs, once idle or 1 s
 * before the limit, whichever comes first. So the limit never cuts off a task
 * that could have run elsewhere.
 */
export function scheduleWalltime(server: WorkerServer, walltimeMs: number, drainMs: number, stop: (reason: string) => void, log: Logger): void {
  const startedAt = Date.now();
  const drainAt = Math.max(0, walltimeMs - drainMs);
  const hardStopAt = Math.max(drainAt, walltimeMs - 1_000);
  setTimeout(() => {
    log.info({ walltimeMs, drainMs }, 'walltime near: draining');
    server.drain();
    const check = setInterval(() => {
      const late = Date.now() - startedAt >= hardStopAt;
      if (server.idle || late) {
        clearInterval(check);
        stop(late ? 'walltime reached' : 'drained before walltime');
      }
    }, 100);
  }, drainAt).unref();
}
