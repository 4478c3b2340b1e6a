import { ProtocolError } from '@scattergather/protocol';
import type { RemoteError } from './remote-error.js';

/** Base class of every error the client raises itself: a stable `code` plus the `cause`. */
export class ScatterGatherError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScatterGatherError';
    this.code = code;
  }
}

/** `make()`, with a ProtocolError it throws (a bad URL, key file or value) raised as the client's own, same code and message. */
export function asClientError<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof ProtocolError) throw new ScatterGatherError(error.code, error.message, { cause: error });
    throw error;
  }
}

/** What every call on a closed client throws. */
export function closedError(): ScatterGatherError {
  return new ScatterGatherError('ERR_CLOSED', 'this client is closed; start a new one with spawnScatterGather or localCluster');
}

/** What every call, wait and unfinished set of a client throws once its controller died. */
export function controllerExitedError(pid: number, how: string, said: string): ScatterGatherError {
  return new ScatterGatherError('ERR_CONTROLLER_EXITED', `the controller (pid ${pid}) exited (${how}); unfinished sets will not complete. Start a new client${said === '' ? '' : `. It said:\n${said}`}`);
}

/** A wait that ran out of time or was aborted; the set goes on running. */
export class WaitAbortedError extends ScatterGatherError {
  constructor(code: 'ERR_WAIT_TIMEOUT' | 'ERR_WAIT_ABORTED', message: string) {
    super(code, message);
    this.name = 'WaitAbortedError';
  }
}

/** `map` had tasks that failed: every RemoteError (each knows its `index`), and the results that did arrive, in input order. */
export class MapError<T = unknown> extends ScatterGatherError {
  constructor(
    readonly errors: RemoteError[],
    /** In input order, with a hole where a task failed. */
    readonly results: Array<T | undefined>,
    fn: string,
  ) {
    const listed = errors.slice(0, 3).map((e) => `task ${e.index}: ${e.remoteName}: ${e.message}`).join('; ');
    const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
    super('ERR_MAP', `${errors.length} of ${results.length} tasks of map(${fn}) failed (${listed}${more}). The error's .errors has each RemoteError with its index and .results what did arrive; addJob + waitForResult keeps going past failures`);
    this.name = 'MapError';
  }
}
