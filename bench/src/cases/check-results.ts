import { RemoteError } from '@scattergather/kernel-ext';

/** Throws unless `results` has `size` entries, none a RemoteError, each passing `check`: a fast wrong answer is no figure. */
export function checkResults(what: string, results: readonly unknown[], size: number, check: (value: unknown, index: number) => boolean): void {
  if (results.length !== size) throw new Error(`${what}: ${results.length} results for ${size} tasks`);
  for (const [index, value] of results.entries()) {
    if (value instanceof RemoteError) throw new Error(`${what}: task ${index} failed: ${value.toString()}`);
    if (!check(value, index)) throw new Error(`${what}: task ${index} returned ${String(value)}`);
  }
}
