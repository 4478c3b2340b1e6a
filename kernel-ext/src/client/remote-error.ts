import type { ErrorState } from '@scattergather/protocol';

export interface RemoteErrorOrigin {
  /** The worker server's URL ('' when the controller itself failed the task, e.g. on cancel). */
  server: string;
  /** The executor's process id (-1 when no executor was involved). */
  pid: number;
  /** The task's place in its set. */
  index: number;
  /** The set's id. */
  set: number;
}

/** What a task threw on its executor, or why it could not finish (ExecutorCrashed, ServerLost, TimeoutError, CancelledError). */
export class RemoteError extends Error {
  readonly remoteName: string;
  readonly remoteStack: string | undefined;
  readonly server: string;
  readonly pid: number;
  readonly index: number;
  readonly set: number;

  constructor(state: ErrorState, origin: RemoteErrorOrigin) {
    // The client's own stack here is only its result decoding, and capturing it costs microseconds per
    // error: a cancelled set of a million tasks took seconds. The stack shows the remote one instead.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(String(state.message), state.cause === undefined ? undefined : { cause: state.cause });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'RemoteError';
    this.stack = `RemoteError [${String(state.name)}]: ${this.message}${state.stack === undefined ? '' : `\n  on the executor: ${state.stack}`}`;
    this.remoteName = String(state.name);
    this.remoteStack = state.stack;
    this.server = origin.server;
    this.pid = origin.pid;
    this.index = origin.index;
    this.set = origin.set;
  }

  override toString(): string {
    const where = this.pid > 0 ? ` (task ${this.index} of set ${this.set}, pid ${this.pid} on ${this.server})` : ` (task ${this.index} of set ${this.set})`;
    return `RemoteError [${this.remoteName}]: ${this.message}${where}`;
  }
}
