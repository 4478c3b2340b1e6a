import type { ClientOptions } from './api-types.js';
import { ScatterGatherError } from './errors.js';

/**
 * addJob's options, checked before anything is sent: a limit or retry count
 * the controller cannot use would otherwise be dropped on the way, and the set
 * would run with none.
 */
export function checkSetOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new ScatterGatherError('ERR_SET_OPTIONS', 'addJob(set, options) needs its options, at least { fn }: a built-in or installed function name, or a function');
  }
  const { timeoutMs, retries } = options as { timeoutMs?: unknown; retries?: unknown };
  checkNumbers('ERR_SET_OPTIONS', { timeoutMs }, { retries });
}

/**
 * A client's options, checked as the call is made, in the caller's words:
 * left to the controller, a bad one came back as its command-line flag.
 */
export function checkClientOptions(options: ClientOptions): void {
  const { timeoutMs, heartbeatMs, weight, readyTimeoutMs, retries } = options as Record<keyof ClientOptions, unknown>;
  checkNumbers('ERR_CLIENT_OPTIONS', { timeoutMs, heartbeatMs, weight, readyTimeoutMs }, { retries });
}

/** Each of `positive` a finite number > 0 and each of `whole` an integer ≥ 0, when given. */
function checkNumbers(code: string, positive: Record<string, unknown>, whole: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(positive)) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new ScatterGatherError(code, `${name} must be a number > 0, not ${String(value)}; leave it out for the default`);
    }
  }
  for (const [name, value] of Object.entries(whole)) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
      throw new ScatterGatherError(code, `${name} must be a whole number ≥ 0, not ${String(value)}`);
    }
  }
}
