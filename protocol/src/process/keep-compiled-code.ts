import { setFlagsFromString } from 'node:v8';

/**
 * Tells V8 not to flush the bytecode (and with it the optimized code) of
 * functions that have not run for a few GCs. Our processes live long and
 * work in bursts: a notebook user pauses between sets, and the GCs V8 runs
 * while idle otherwise throw away the hot paths, so the first sets after each
 * pause ran 40–60 % slower until V8 had optimized them again. Keeping them
 * costs a few MiB of bytecode.
 */
export function keepCompiledCode(): void {
  setFlagsFromString('--no-flush-bytecode');
}
