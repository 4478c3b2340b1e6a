/** Base class of every error the controller raises: a stable `code` plus the `cause`. */
export class ControllerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControllerError';
    this.code = code;
  }
}
