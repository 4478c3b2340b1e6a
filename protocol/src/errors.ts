/** Base class of every error the protocol package raises: a stable `code` plus the `cause`. */
export class ProtocolError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
