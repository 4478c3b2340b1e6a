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
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new ScatterGatherError('ERR_SET_OPTIONS', `timeoutMs must be a number of ms > 0, not ${String(timeoutMs)}; leave it out for no limit`);
  }
  if (retries !== undefined && !(Number.isInteger(retries) && (retries as number) >= 0)) {
    throw new ScatterGatherError('ERR_SET_OPTIONS', `retries must be a whole number ≥ 0, not ${String(retries)}`);
  }
}
