/** Clocks and bounded waits shared by every case and baseline. */

/** Monotonic milliseconds, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class BenchTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`gave up on ${what} after ${ms} ms`);
    this.name = 'BenchTimeoutError';
  }
}

/** Resolves or rejects as `promise` does, or rejects after `ms` with what it was waiting for. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work` again and again until `ms` have passed (not at all for 0): unmeasured warm-up by time, not by count. */
export async function forAtLeast(ms: number, work: () => Promise<unknown>): Promise<void> {
  const until = nowMs() + ms;
  while (nowMs() < until) await work();
}
