import { WaitAbortedError } from './errors.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WaitForOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  what: string;
}

/**
 * Resolves when `condition()` holds, checking it each time `subscribe`'s waker
 * is called; rejects on `timeoutMs` or `signal`. One timer per wait, none per task.
 */
export async function waitFor(condition: () => boolean, subscribe: (wake: () => void) => void, options: WaitForOptions): Promise<void> {
  const { timeoutMs, signal, what } = options;
  if (signal?.aborted === true) throw new WaitAbortedError('ERR_WAIT_ABORTED', `stopped waiting for ${what}; it goes on`);
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  while (!condition()) {
    const remaining = deadline === undefined ? undefined : deadline - Date.now();
    if (remaining !== undefined && remaining <= 0) throw new WaitAbortedError('ERR_WAIT_TIMEOUT', `gave up waiting for ${what} after ${timeoutMs} ms; it goes on`);
    await new Promise<void>((resolve, reject) => {
      // Past 2^31 - 1 ms Node fires a timer at once (with a warning each time): wait that long at most, then look again.
      const timer = remaining === undefined ? undefined : setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(remaining, MAX_TIMER_MS));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new WaitAbortedError('ERR_WAIT_ABORTED', `stopped waiting for ${what}; it goes on`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      subscribe(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
