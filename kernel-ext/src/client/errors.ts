/** Base class of every error the client raises itself: a stable `code` plus the `cause`. */
export class ScatterGatherError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScatterGatherError';
    this.code = code;
  }
}

/** A wait that ran out of time or was aborted; the set goes on running. */
export class WaitAbortedError extends ScatterGatherError {
  constructor(code: 'ERR_WAIT_TIMEOUT' | 'ERR_WAIT_ABORTED', message: string) {
    super(code, message);
    this.name = 'WaitAbortedError';
  }
}
