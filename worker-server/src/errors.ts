/** Base class of every error the worker server raises: a stable `code` plus the `cause`. */
export class WorkerServerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerServerError';
    this.code = code;
  }
}
