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
  checkNumbers('ERR_SET_OPTIONS', { positive: { timeoutMs }, whole: { retries } });
}

/**
 * A client's options, checked as the call is made, in the caller's words:
 * left to the controller, a bad one came back as its command-line flag.
 */
export function checkClientOptions(options: ClientOptions): void {
  const { timeoutMs, heartbeatMs, weight, readyTimeoutMs, retries } = options as Record<keyof ClientOptions, unknown>;
  // The controller takes its default limit and heartbeat as whole ms on its command line.
  checkNumbers('ERR_CLIENT_OPTIONS', { positive: { weight, readyTimeoutMs }, counting: { timeoutMs, heartbeatMs }, whole: { retries } });
}

const RULES = {
  positive: { test: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0, says: 'a number > 0' },
  counting: { test: (v: unknown) => Number.isInteger(v) && (v as number) >= 1, says: 'a whole number ≥ 1' },
  whole: { test: (v: unknown) => Number.isInteger(v) && (v as number) >= 0, says: 'a whole number ≥ 0' },
};

/** Each option given (not undefined) of each group meets its group's rule. */
function checkNumbers(code: string, groups: Partial<Record<keyof typeof RULES, Record<string, unknown>>>): void {
  for (const [rule, options] of Object.entries(groups) as Array<[keyof typeof RULES, Record<string, unknown>]>) {
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && !RULES[rule].test(value)) throw new ScatterGatherError(code, `${name} must be ${RULES[rule].says}, not ${String(value)}`);
    }
  }
}
