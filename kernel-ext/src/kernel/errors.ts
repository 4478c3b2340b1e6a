/**
 * The one error class the kernel shows to users. Its `code` says what went wrong
 * (stable, for tests and tools); `hint` says what to do about it. The kernel
 * renders it as a Jupyter `error` output without any stack trace of its own.
 */
export type KernelErrorCode =
  | 'UNKNOWN_MAGIC'
  | 'BAD_ARGUMENTS'
  | 'NO_CLUSTER'
  | 'UNKNOWN_FUNCTION'
  | 'UNKNOWN_SET'
  | 'BAD_SCATTER_SET'
  | 'WAIT_TIMEOUT'
  | 'CLUSTER_ERROR'
  | 'INSTALL_ERROR'
  | 'NOT_CHARTABLE';

export interface KernelErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class KernelError extends Error {
  override readonly name = 'KernelError';
  readonly code: KernelErrorCode;
  readonly hint: string | undefined;
  override readonly cause: unknown;

  constructor(code: KernelErrorCode, message: string, options: KernelErrorOptions = {}) {
    super(message);
    this.code = code;
    this.hint = options.hint;
    this.cause = options.cause;
    // What users see is the message and the hint, never where inside the kernel it was thrown.
    this.stack = `${this.title}: ${message}`;
  }

  /** A short CamelCase title for the error output, e.g. `UnknownMagic`. */
  get title(): string {
    return this.code
      .toLowerCase()
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  }
}

export function isKernelError(e: unknown): e is KernelError {
  return e instanceof KernelError;
}

/** The message of any thrown value, without its stack. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Wraps a failure of the client (or anything else) as a KernelError, keeping it as `cause`. */
export function asKernelError(e: unknown, code: KernelErrorCode, prefix: string, hint?: string): KernelError {
  if (e instanceof KernelError) return e;
  return new KernelError(code, `${prefix}: ${messageOf(e)}`, { cause: e, hint });
}
